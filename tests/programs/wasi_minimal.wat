;; A WASI command written by hand, without libc: it writes its argument count and a
;; message with fd_write, then exits with status 7 through proc_exit.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  ;; 0..8: iovec {ptr, len}; 8: bytes written; 12: argc; 16: argv buffer size
  (data (i32.const 32) "argc=? hello from hand-written wasm\n")

  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func (export "_start")
    (drop (call $args_sizes_get (i32.const 12) (i32.const 16)))
    ;; Patch the '?' with the argument count as a single digit.
    (i32.store8 (i32.const 37)
      (i32.add (i32.const 48) (i32.rem_u (i32.load (i32.const 12)) (i32.const 10))))
    (call $write (i32.const 32) (i32.const 36))
    (call $proc_exit (i32.const 7))
    unreachable))
