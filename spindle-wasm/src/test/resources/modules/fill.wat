;; A component with session files that writes into /workspace/big.bin until a write fails, then answers
;; success: the workspace must stop it at the session's quota, long before the host's memory runs out.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 3)
  (data (i32.const 70000) "{\"tools\":[{\"name\":\"fill\",\"description\":\"Fills the disk\",\"inputSchema\":{\"type\":\"object\"}}]}")
  (data (i32.const 71000) "{\"success\":true,\"result\":\"full\"}")
  (data (i32.const 72000) "big.bin")
  (func $write (param $fd i32) (param $ptr i32) (param $len i32) (result i32)
    (i32.store (i32.const 16) (local.get $ptr))
    (i32.store (i32.const 20) (local.get $len))
    (call $fd_write (local.get $fd) (i32.const 16) (i32.const 1) (i32.const 24)))
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
        (if (i64.eq (i64.load (local.get $i)) (i64.const 0x6562697263736564))
          (then (drop (call $write (i32.const 1) (i32.const 70000) (i32.const 90))) (return)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scan)))
    (if (i32.eqz (call $path_open (i32.const 3) (i32.const 0) (i32.const 72000) (i32.const 7) (i32.const 9)
                   (i64.const 0x1FFFFFFF) (i64.const 0x1FFFFFFF) (i32.const 0) (i32.const 32)))
      (then
        ;; 64 KiB of whatever memory holds, again and again, until the filesystem refuses
        (block $full
          (loop $more
            (br_if $full (i32.ne (call $write (i32.load (i32.const 32)) (i32.const 65536) (i32.const 65536)) (i32.const 0)))
            (br_if $full (i32.eqz (i32.load (i32.const 24))))
            (br $more)))))
    (drop (call $write (i32.const 1) (i32.const 71000) (i32.const 32)))))
