;; A WASI function imported with the wrong signature: refused at compile time.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func (param i64)))
  (func (export "_start")))
