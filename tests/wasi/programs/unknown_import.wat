;; Imports a function no runtime provides: wasmc refuses it at compile time, unless told to
;; let it trap when called. Prints a line first, so the trap is seen to come at the call.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "env" "foo" (func $foo (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "before the call\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 16))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $foo (i32.const 1)))))
