;; A component with session files: copies /workspace/in.txt to /workspace/out.txt (or writes "no input")
;; on every run, then answers describe or a fixed result. Without a preopened /workspace (describe at
;; registration) the opens fail and it only answers.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (data (i32.const 70000) "{\"tools\":[{\"name\":\"copy\",\"description\":\"Copies in.txt to out.txt\",\"inputSchema\":{\"type\":\"object\"}}]}")
  (data (i32.const 71000) "{\"success\":true,\"result\":\"copied\"}")
  (data (i32.const 72000) "in.txt")
  (data (i32.const 72100) "out.txt")
  (data (i32.const 72200) "no input")
  ;; write len bytes at ptr to fd
  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 16) (local.get $ptr))
    (i32.store (i32.const 20) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 16) (i32.const 1) (i32.const 24))))
  ;; read up to 20000 bytes from fd into ptr; answers the count
  (func $read (param $fd i32) (param $ptr i32) (result i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (i32.const 20000))
    (drop (call $fd_read (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
    (i32.load (i32.const 8)))
  (func (export "_start")
    (local $n i32) (local $m i32) (local $i i32)
    (local.set $n (call $read (i32.const 0) (i32.const 1024)))
    (local.set $m (i32.const -1))
    ;; in.txt -> buffer at 40000
    (if (i32.eqz (call $path_open (i32.const 3) (i32.const 0) (i32.const 72000) (i32.const 6) (i32.const 0)
                   (i64.const 0x1FFFFFFF) (i64.const 0x1FFFFFFF) (i32.const 0) (i32.const 32)))
      (then
        (local.set $m (call $read (i32.load (i32.const 32)) (i32.const 40000)))
        (drop (call $fd_close (i32.load (i32.const 32))))))
    ;; out.txt <- buffer, or "no input" (O_CREAT|O_TRUNC = 9)
    (if (i32.eqz (call $path_open (i32.const 3) (i32.const 0) (i32.const 72100) (i32.const 7) (i32.const 9)
                   (i64.const 0x1FFFFFFF) (i64.const 0x1FFFFFFF) (i32.const 0) (i32.const 32)))
      (then
        (if (i32.ge_s (local.get $m) (i32.const 0))
          (then (call $write (i32.load (i32.const 32)) (i32.const 40000) (local.get $m)))
          (else (call $write (i32.load (i32.const 32)) (i32.const 72200) (i32.const 8))))
        (drop (call $fd_close (i32.load (i32.const 32))))))
    (local.set $i (i32.const 1024))
    (block $notfound
      (loop $scan
        (br_if $notfound (i32.gt_s (i32.add (local.get $i) (i32.const 8)) (i32.add (i32.const 1024) (local.get $n))))
        (if (i64.eq (i64.load (local.get $i)) (i64.const 0x6562697263736564))
          (then (call $write (i32.const 1) (i32.const 70000) (i32.const 100)) (return)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scan)))
    (call $write (i32.const 1) (i32.const 71000) (i32.const 34))))
