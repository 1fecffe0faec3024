;; Direct calls, calls of imports through their funcref, and call_indirect with its checks.
(module
  (import "env" "log" (func $log (param i32)))
  (type $binop (func (param i32 i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $add)
  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $calls (export "calls") (param $x i32) (result i32)
    (call $log (local.get $x))
    (call_indirect (type $binop) (call $add (local.get $x) (i32.const 1)) (i32.const 2) (local.get $x)))
  (export "log_again" (func $log))
)
;; ---- expected IR ----
;; function %add(i64, i32, i32) -> i32 {
;; block0(v0: i64, v1: i32, v2: i32):
;;     v4 = iadd.i32 v1, v2 @0x5b
;;     return v4 @0x5c
;; }
;; function %calls(i64, i32) -> i32 {
;;     sig0 = (i64, i32)
;;     sig1 = (i64, i32, i32) -> i32
;; block0(v0: i64, v1: i32):
;;     v3 = load_ptr.i64 readonly v0, +80 @0x61
;;     v4 = load_ptr.i64 readonly v0, +88 @0x61
;;     call_indirect sig0 v3(v4, v1) @0x61
;;     v5 = iconst.i32 1 @0x65
;;     v6 = call fn1 sig1(v0, v1, v5) @0x67
;;     v7 = iconst.i32 2 @0x69
;;     v8 = load_ptr.i64 readonly v0, +152 @0x6d
;;     v9 = load_ptr.i32 v8, +8 @0x6d
;;     v10 = icmp.i32 uge v1, v9 @0x6d
;;     trapnz v10, table_oob @0x6d
;;     v11 = load_ptr.i64 v8, +0 @0x6d
;;     v12 = uextend.i32.i64 v1 @0x6d
;;     v13 = iconst.i64 3 @0x6d
;;     v14 = shl.i64 v12, v13 @0x6d
;;     v15 = iadd.i64 v11, v14 @0x6d
;;     v16 = load_ptr.i64 v15, +0 @0x6d
;;     v17 = iconst.i64 0 @0x6d
;;     v18 = icmp.i64 eq v16, v17 @0x6d
;;     trapnz v18, icall_null @0x6d
;;     v19 = load_ptr.i32 v16, +16 @0x6d
;;     v20 = load_ptr.i32 readonly v0, +64 @0x6d
;;     v21 = icmp.i32 ne v19, v20 @0x6d
;;     trapnz v21, bad_sig @0x6d
;;     v22 = load_ptr.i64 v16, +0 @0x6d
;;     v23 = load_ptr.i64 v16, +8 @0x6d
;;     v24 = call_indirect sig1 v22(v23, v6, v7) @0x6d
;;     return v24 @0x70
;; }
;; function %calls_array_call(i64, i64) {
;;     sig0 = (i64, i32) -> i32
;; block0(v0: i64, v1: i64):
;;     v2 = load_ptr.i32 v1, +0
;;     v3 = call fn2 sig0(v0, v2)
;;     store_ptr.i32 v1, +0, v3
;;     return
;; }
;; function %log_array_call(i64, i64) {
;;     sig0 = (i64, i32)
;; block0(v0: i64, v1: i64):
;;     v2 = load_ptr.i32 v1, +0
;;     v3 = load_ptr.i64 readonly v0, +80
;;     v4 = load_ptr.i64 readonly v0, +88
;;     call_indirect sig0 v3(v4, v2)
;;     return
;; }
