;; A component with session files that writes /workspace/big.bin (4 MiB), then gives it 2,000 hard links
;; (h0000 ... h1999) and 2,000 symbolic links (s0000 ... s1999), and answers "linked": the issue-20 payload
;; for WebAssembly workspaces. Writing back must refuse the 16,004 MiB of copies before reading any of them.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_link" (func $path_link (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_symlink" (func $path_symlink (param i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 3)
  (data (i32.const 70000) "{\"tools\":[{\"name\":\"link\",\"description\":\"Links a big file\",\"inputSchema\":{\"type\":\"object\"}}]}")
  (data (i32.const 71000) "{\"success\":true,\"result\":\"linked\"}")
  (data (i32.const 72000) "big.bin")
  (data (i32.const 73000) "h0000")
  (data (i32.const 73100) "s0000")
  (func $write (param $fd i32) (param $ptr i32) (param $len i32) (result i32)
    (i32.store (i32.const 16) (local.get $ptr))
    (i32.store (i32.const 20) (local.get $len))
    (call $fd_write (local.get $fd) (i32.const 16) (i32.const 1) (i32.const 24)))
  ;; the four decimal digits of $i at $at
  (func $digits (param $at i32) (param $i i32)
    (i32.store8 (local.get $at) (i32.add (i32.const 48) (i32.div_u (local.get $i) (i32.const 1000))))
    (i32.store8 (i32.add (local.get $at) (i32.const 1)) (i32.add (i32.const 48) (i32.rem_u (i32.div_u (local.get $i) (i32.const 100)) (i32.const 10))))
    (i32.store8 (i32.add (local.get $at) (i32.const 2)) (i32.add (i32.const 48) (i32.rem_u (i32.div_u (local.get $i) (i32.const 10)) (i32.const 10))))
    (i32.store8 (i32.add (local.get $at) (i32.const 3)) (i32.add (i32.const 48) (i32.rem_u (local.get $i) (i32.const 10)))))
  (func (export "_start")
    (local $n i32) (local $i i32)
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 20000))
    (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    (local.set $n (i32.load (i32.const 8)))
    (local.set $i (i32.const 1024))
    (block $notfound
      (loop $scan
        (br_if $notfound (i32.gt_s (i32.add (local.get $i) (i32.const 8)) (i32.add (i32.const 1024) (local.get $n))))
        (if (i64.eq (i64.load (local.get $i)) (i64.const 0x6562697263736564)) ;; "describe"
          (then (drop (call $write (i32.const 1) (i32.const 70000) (i32.const 92))) (return)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scan)))
    (if (i32.eqz (call $path_open (i32.const 3) (i32.const 0) (i32.const 72000) (i32.const 7) (i32.const 9)
                   (i64.const 0x1FFFFFFF) (i64.const 0x1FFFFFFF) (i32.const 0) (i32.const 32)))
      (then
        ;; 64 writes of the 64 KiB from address 65536 (zeros): 4 MiB
        (local.set $i (i32.const 0))
        (loop $more
          (drop (call $write (i32.load (i32.const 32)) (i32.const 65536) (i32.const 65536)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $more (i32.lt_u (local.get $i) (i32.const 64))))
        (drop (call $fd_close (i32.load (i32.const 32))))))
    (local.set $i (i32.const 0))
    (loop $link
      (call $digits (i32.const 73001) (local.get $i))
      (call $digits (i32.const 73101) (local.get $i))
      (drop (call $path_link (i32.const 3) (i32.const 0) (i32.const 72000) (i32.const 7) (i32.const 3) (i32.const 73000) (i32.const 5)))
      (drop (call $path_symlink (i32.const 72000) (i32.const 7) (i32.const 3) (i32.const 73100) (i32.const 5)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $link (i32.lt_u (local.get $i) (i32.const 2000))))
    (drop (call $write (i32.const 1) (i32.const 71000) (i32.const 34)))))
