;; A component with session files that creates whatever path it is given: args {"path": P} makes it
;; open P for writing under /workspace (O_CREAT|O_TRUNC, no symlink following), write "pwned" and answer
;; "created", or answer "refused" when WASI says no; it also links link.txt to P. The path is taken raw
;; from the request's bytes up to the next quote (no JSON unescaping).
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_symlink" (func $path_symlink (param i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (data (i32.const 70000) "{\"tools\":[{\"name\":\"create\",\"description\":\"Creates a file\",\"inputSchema\":{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}}]}")
  (data (i32.const 71000) "{\"success\":true,\"result\":\"created\"}")
  (data (i32.const 71100) "{\"success\":true,\"result\":\"refused\"}")
  (data (i32.const 72000) "pwned")
  (data (i32.const 72100) "link.txt")
  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 16) (local.get $ptr))
    (i32.store (i32.const 20) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 16) (i32.const 1) (i32.const 24))))
  (func (export "_start")
    (local $n i32) (local $i i32) (local $end i32) (local $start i32)
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 60000))
    (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    (local.set $n (i32.load (i32.const 8)))
    (local.set $end (i32.add (i32.const 1024) (local.get $n)))
    (local.set $i (i32.const 1024))
    (block $found
      (loop $scan
        (if (i32.gt_s (i32.add (local.get $i) (i32.const 8)) (local.get $end)) (then (unreachable)))
        (if (i64.eq (i64.load (local.get $i)) (i64.const 0x6562697263736564)) ;; "describe"
          (then (call $write (i32.const 1) (i32.const 70000) (i32.const 152)) (return)))
        (br_if $found (i64.eq (i64.load (local.get $i)) (i64.const 0x223a226874617022))) ;; "path":"
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scan)))
    (local.set $start (i32.add (local.get $i) (i32.const 8)))
    (local.set $i (local.get $start))
    (block $closed
      (loop $quote
        (br_if $closed (i32.ge_s (local.get $i) (local.get $end)))
        (br_if $closed (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x22)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $quote)))
    (drop (call $path_symlink (local.get $start) (i32.sub (local.get $i) (local.get $start)) (i32.const 3) (i32.const 72100) (i32.const 8)))
    (if (i32.eqz (call $path_open (i32.const 3) (i32.const 0) (local.get $start) (i32.sub (local.get $i) (local.get $start)) (i32.const 9)
                   (i64.const 0x1FFFFFFF) (i64.const 0x1FFFFFFF) (i32.const 0) (i32.const 32)))
      (then
        (call $write (i32.load (i32.const 32)) (i32.const 72000) (i32.const 5))
        (drop (call $fd_close (i32.load (i32.const 32))))
        (call $write (i32.const 1) (i32.const 71000) (i32.const 35)))
      (else (call $write (i32.const 1) (i32.const 71100) (i32.const 35))))))
