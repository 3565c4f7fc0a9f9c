;; A complete component in WAT: answers {"describe":true} with its tool list, any other request with a
;; fixed result. It finds the word "describe" in stdin by comparing 8 bytes at a time.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (data (i32.const 70000) "{\"tools\":[{\"name\":\"hello\",\"description\":\"Says hello\",\"inputSchema\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},\"required\":[\"name\"]}}]}")
  (data (i32.const 71000) "{\"success\":true,\"result\":\"hello from wasm\"}")
  (func $write (param $at i32) (param $len i32)
    (i32.store (i32.const 16) (local.get $at))
    (i32.store (i32.const 20) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24))))
  (func (export "_start")
    (local $n i32) (local $i i32)
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 60000))
    (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    (local.set $n (i32.load (i32.const 8)))
    (local.set $i (i32.const 1024))
    (block $notfound
      (loop $scan
        (br_if $notfound (i32.gt_s (i32.add (local.get $i) (i32.const 8)) (i32.add (i32.const 1024) (local.get $n))))
        (if (i64.eq (i64.load (local.get $i)) (i64.const 0x6562697263736564))
          (then (call $write (i32.const 70000) (i32.const 147)) (return)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scan)))
    (call $write (i32.const 71000) (i32.const 43))))
