;; Trapping arithmetic and conversions stay single instructions (their semantics include the
;; trap); code after `unreachable`, `br` or `return` is skipped up to the matching end.
(module
  (func $arith (param $a i32) (param $b i32) (param $f f64) (result i64)
    (drop (i32.div_s (local.get $a) (local.get $b)))
    (drop (i32.rem_u (local.get $a) (local.get $b)))
    (drop (i32.trunc_sat_f64_u (local.get $f)))
    (drop (i32.extend8_s (local.get $a)))
    (drop (f64.reinterpret_i64 (i64.extend_i32_u (local.get $a))))
    (i64.trunc_f64_s (local.get $f)))
  (func $dead (param $a i32) (result i32)
    (block $out
      (br_if $out (local.get $a))
      (unreachable)
      (i32.const 1)
      (if (then (nop)) (else (nop)))
      (drop))
    (return (i32.const 3))
    (i32.const 4))
  (func $never (result i32)
    (loop $l (br $l))
    (i32.const 0))
)
;; ---- expected IR ----
;; function %arith(i64, i32, i32, f64) -> i64 {
;; block0(v0: i64, v1: i32, v2: i32, v3: f64):
;;     v5 = sdiv.i32 v1, v2 @0x2a
;;     v6 = urem.i32 v1, v2 @0x30
;;     v7 = fcvt_to_uint_sat.f64.i32 v3 @0x34
;;     v8 = sext8.i32 v1 @0x39
;;     v9 = uextend.i32.i64 v1 @0x3d
;;     v10 = bitcast.i64.f64 v9 @0x3e
;;     v11 = fcvt_to_sint.f64.i64 v3 @0x42
;;     return v11 @0x43
;; }
;; function %dead(i64, i32) -> i32 {
;; block0(v0: i64, v1: i32):
;;     brif v1, block2, block3 @0x4a
;; block3:
;;     trap unreachable @0x4c
;; block2:
;;     v3 = iconst.i32 3 @0x57
;;     return v3 @0x59
;; }
;; function %never(i64) -> i32 {
;; block0(v0: i64):
;;     jump block2 @0x5f
;; block2:
;;     jump block2 @0x61
;; }
