;; Loops shaped like clang's output for simple array loops it unrolls by two (Wasm without
;; SIMD): each iteration handles elements j and j+1 with the same operations. The vectorize
;; pass turns every loop here into f64x2/i64x2 operations behind a run-time check.
(module
  (memory (export "memory") 1)

  ;; c[k] += a * b[k] for the bytes j in [0, bytes): a counter up to a variable end.
  (func (export "axpy") (param $c i32) (param $b i32) (param $bytes i32) (param $a f64)
    (local $j i32)
    (loop $next
      (f64.store (i32.add (local.get $c) (local.get $j))
        (f64.add
          (f64.mul (local.get $a) (f64.load (i32.add (local.get $b) (local.get $j))))
          (f64.load (i32.add (local.get $c) (local.get $j)))))
      (f64.store (i32.add (i32.add (local.get $c) (local.get $j)) (i32.const 8))
        (f64.add
          (f64.mul (local.get $a) (f64.load (i32.add (i32.add (local.get $b) (local.get $j)) (i32.const 8))))
          (f64.load (i32.add (i32.add (local.get $c) (local.get $j)) (i32.const 8)))))
      (br_if $next
        (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 16))) (local.get $bytes)))))

  ;; The same with the counter running from -bytes up to 0 and the pair in the offsets.
  (func (export "axpy_to_zero") (param $c_end i32) (param $b_end i32) (param $bytes i32) (param $a f64)
    (local $j i32)
    (local.set $j (i32.sub (i32.const 0) (local.get $bytes)))
    (loop $next
      (f64.store offset=0 (i32.add (local.get $c_end) (local.get $j))
        (f64.sub
          (f64.load offset=0 (i32.add (local.get $c_end) (local.get $j)))
          (f64.mul (f64.load offset=0 (i32.add (local.get $b_end) (local.get $j))) (local.get $a))))
      (f64.store offset=8 (i32.add (local.get $c_end) (local.get $j))
        (f64.sub
          (f64.load offset=8 (i32.add (local.get $c_end) (local.get $j)))
          (f64.mul (f64.load offset=8 (i32.add (local.get $b_end) (local.get $j))) (local.get $a))))
      (br_if $next (local.tee $j (i32.add (local.get $j) (i32.const 16))))))

  ;; d[k] ^= s[k] + t over 64-bit words, two per iteration.
  (func (export "xor_add") (param $d i32) (param $s i32) (param $bytes i32) (param $t i64)
    (local $j i32)
    (loop $next
      (i64.store (i32.add (local.get $d) (local.get $j))
        (i64.xor (i64.load (i32.add (local.get $d) (local.get $j)))
                 (i64.add (i64.load (i32.add (local.get $s) (local.get $j))) (local.get $t))))
      (i64.store offset=8 (i32.add (local.get $d) (local.get $j))
        (i64.xor (i64.load offset=8 (i32.add (local.get $d) (local.get $j)))
                 (i64.add (i64.load offset=8 (i32.add (local.get $s) (local.get $j))) (local.get $t))))
      (br_if $next
        (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 16))) (local.get $bytes)))))

  ;; clang -O2 --target=wasm32-wasi of
  ;;   void axpy(double *restrict c, const double *b, double a, int n)
  ;;   { for (int j = 0; j < n; j++) c[j] += a * b[j]; }
  ;; as wasm-tools prints it: pointers advancing by 16 beside a counter that stops at n & ~1,
  ;; and the counter's final value used after the loop by the odd element's epilogue. (The
  ;; Wasm does what it does whatever `restrict` promised: the overlap tested below is legal.)
  (func (export "axpy_n") (param i32 i32 f64 i32)
    (local i32 i32 i32 i32 i32)
    block
      local.get 3
      i32.const 1
      i32.lt_s
      br_if 0
      local.get 3
      i32.const 1
      i32.and
      local.set 4
      i32.const 0
      local.set 5
      block
        local.get 3
        i32.const 1
        i32.eq
        br_if 0
        local.get 3
        i32.const -2
        i32.and
        local.set 6
        i32.const 0
        local.set 5
        local.get 0
        local.set 3
        local.get 1
        local.set 7
        loop
          local.get 3
          local.get 2
          local.get 7
          f64.load
          f64.mul
          local.get 3
          f64.load
          f64.add
          f64.store
          local.get 3
          i32.const 8
          i32.add
          local.tee 8
          local.get 2
          local.get 7
          i32.const 8
          i32.add
          f64.load
          f64.mul
          local.get 8
          f64.load
          f64.add
          f64.store
          local.get 3
          i32.const 16
          i32.add
          local.set 3
          local.get 7
          i32.const 16
          i32.add
          local.set 7
          local.get 6
          local.get 5
          i32.const 2
          i32.add
          local.tee 5
          i32.ne
          br_if 0
        end
      end
      local.get 4
      i32.eqz
      br_if 0
      local.get 0
      local.get 5
      i32.const 3
      i32.shl
      local.tee 3
      i32.add
      local.tee 7
      local.get 2
      local.get 1
      local.get 3
      i32.add
      f64.load
      f64.mul
      local.get 7
      f64.load
      f64.add
      f64.store
    end
  )

  ;; Helpers: f64 values start, start+1, ... at p (n of them); an f64 or i64 at p.
  (func (export "fill") (param $p i32) (param $n i32) (param $start f64)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (f64.store (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 3)))
          (f64.add (local.get $start) (f64.convert_i32_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))
  (func (export "f64_at") (param $p i32) (result f64) (f64.load (local.get $p)))
  (func (export "i64_at") (param $p i32) (result i64) (i64.load (local.get $p)))
)
;; end of module

;; Expected values: what wasmtime computes (the scalar semantics).
;; Independent arrays.
(invoke "fill" (i32.const 0) (i32.const 8) (f64.const 1.0))
(invoke "fill" (i32.const 1024) (i32.const 8) (f64.const 100.0))
(invoke "axpy" (i32.const 1024) (i32.const 0) (i32.const 64) (f64.const 2.0))
(assert_return (invoke "f64_at" (i32.const 1024)) (f64.const 102.0))
(assert_return (invoke "f64_at" (i32.const 1032)) (f64.const 105.0))
(assert_return (invoke "f64_at" (i32.const 1040)) (f64.const 108.0))
(assert_return (invoke "f64_at" (i32.const 1048)) (f64.const 111.0))
(assert_return (invoke "f64_at" (i32.const 1056)) (f64.const 114.0))
(assert_return (invoke "f64_at" (i32.const 1064)) (f64.const 117.0))
(assert_return (invoke "f64_at" (i32.const 1072)) (f64.const 120.0))
(assert_return (invoke "f64_at" (i32.const 1080)) (f64.const 123.0))
;; c = b + 8: lane 0's store writes what lane 1 then loads; the scalar loop must run.
(invoke "fill" (i32.const 2048) (i32.const 9) (f64.const 1.0))
(invoke "axpy" (i32.const 2056) (i32.const 2048) (i32.const 32) (f64.const 2.0))
(assert_return (invoke "f64_at" (i32.const 2048)) (f64.const 1.0))
(assert_return (invoke "f64_at" (i32.const 2056)) (f64.const 4.0))
(assert_return (invoke "f64_at" (i32.const 2064)) (f64.const 11.0))
(assert_return (invoke "f64_at" (i32.const 2072)) (f64.const 26.0))
(assert_return (invoke "f64_at" (i32.const 2080)) (f64.const 57.0))
(assert_return (invoke "f64_at" (i32.const 2088)) (f64.const 6.0))
(assert_return (invoke "f64_at" (i32.const 2096)) (f64.const 7.0))
(assert_return (invoke "f64_at" (i32.const 2104)) (f64.const 8.0))
(assert_return (invoke "f64_at" (i32.const 2112)) (f64.const 9.0))
;; c = b - 8... as b = c + 8: no overlap within an iteration, the vector loop may run.
(invoke "fill" (i32.const 16384) (i32.const 9) (f64.const 1.0))
(invoke "axpy" (i32.const 16384) (i32.const 16392) (i32.const 32) (f64.const 2.0))
(assert_return (invoke "f64_at" (i32.const 16384)) (f64.const 5.0))
(assert_return (invoke "f64_at" (i32.const 16392)) (f64.const 8.0))
(assert_return (invoke "f64_at" (i32.const 16400)) (f64.const 11.0))
(assert_return (invoke "f64_at" (i32.const 16408)) (f64.const 14.0))
(assert_return (invoke "f64_at" (i32.const 16416)) (f64.const 5.0))
;; c = b: in place.
(invoke "fill" (i32.const 3072) (i32.const 4) (f64.const 1.0))
(invoke "axpy" (i32.const 3072) (i32.const 3072) (i32.const 32) (f64.const 3.0))
(assert_return (invoke "f64_at" (i32.const 3072)) (f64.const 4.0))
(assert_return (invoke "f64_at" (i32.const 3080)) (f64.const 8.0))
(assert_return (invoke "f64_at" (i32.const 3088)) (f64.const 12.0))
(assert_return (invoke "f64_at" (i32.const 3096)) (f64.const 16.0))
;; Lane 1 of c's last pair is out of bounds: lane 0 is stored before the trap.
(invoke "fill" (i32.const 65476) (i32.const 7) (f64.const 10.0))
(assert_trap (invoke "axpy" (i32.const 65476) (i32.const 0) (i32.const 64) (f64.const 1.0)) "out of bounds memory access")
(assert_return (invoke "f64_at" (i32.const 65476)) (f64.const 11.0))
(assert_return (invoke "f64_at" (i32.const 65484)) (f64.const 13.0))
(assert_return (invoke "f64_at" (i32.const 65492)) (f64.const 15.0))
(assert_return (invoke "f64_at" (i32.const 65500)) (f64.const 17.0))
(assert_return (invoke "f64_at" (i32.const 65508)) (f64.const 19.0))
(assert_return (invoke "f64_at" (i32.const 65516)) (f64.const 21.0))
(assert_return (invoke "f64_at" (i32.const 65524)) (f64.const 23.0))
;; Lane 1 of b's last pair is out of bounds: lane 0 of c is stored before the trap.
(invoke "fill" (i32.const 4096) (i32.const 8) (f64.const 0.0))
(assert_trap (invoke "axpy" (i32.const 4096) (i32.const 65476) (i32.const 64) (f64.const 1.0)) "out of bounds memory access")
(assert_return (invoke "f64_at" (i32.const 4096)) (f64.const 11.0))
(assert_return (invoke "f64_at" (i32.const 4104)) (f64.const 14.0))
(assert_return (invoke "f64_at" (i32.const 4112)) (f64.const 17.0))
(assert_return (invoke "f64_at" (i32.const 4120)) (f64.const 20.0))
(assert_return (invoke "f64_at" (i32.const 4128)) (f64.const 23.0))
(assert_return (invoke "f64_at" (i32.const 4136)) (f64.const 26.0))
(assert_return (invoke "f64_at" (i32.const 4144)) (f64.const 29.0))
(assert_return (invoke "f64_at" (i32.const 4152)) (f64.const 7.0))
;; A counter up to zero, the pair in the offsets.
(invoke "fill" (i32.const 8192) (i32.const 4) (f64.const 10.0))
(invoke "axpy_to_zero" (i32.const 8224) (i32.const 32) (i32.const 32) (f64.const 0.5))
(assert_return (invoke "f64_at" (i32.const 8192)) (f64.const 9.5))
(assert_return (invoke "f64_at" (i32.const 8200)) (f64.const 10.0))
(assert_return (invoke "f64_at" (i32.const 8208)) (f64.const 10.5))
(assert_return (invoke "f64_at" (i32.const 8216)) (f64.const 11.0))
;; 64-bit integers.
(invoke "fill" (i32.const 12288) (i32.const 4) (f64.const 1.0))
(invoke "xor_add" (i32.const 12288) (i32.const 1024) (i32.const 32) (i64.const 12345))
(assert_return (invoke "i64_at" (i32.const 12288)) (i64.const 9199024451369316409))
(assert_return (invoke "i64_at" (i32.const 12296)) (i64.const 25403116648149049))
(assert_return (invoke "i64_at" (i32.const 12304)) (i64.const 23362423066996793))
(assert_return (invoke "i64_at" (i32.const 12312)) (i64.const 21321729485844537))
;; An odd number of elements: the counter never meets the end, and the loop runs until
;; it leaves memory, the scalar way (every store up to the trap).
(invoke "fill" (i32.const 20480) (i32.const 8) (f64.const 5.0))
(assert_trap (invoke "axpy" (i32.const 65000) (i32.const 20480) (i32.const 24) (f64.const 1.0)) "out of bounds memory access")
(assert_return (invoke "f64_at" (i32.const 65000)) (f64.const 5.0))
(assert_return (invoke "f64_at" (i32.const 65008)) (f64.const 6.0))
(assert_return (invoke "f64_at" (i32.const 65016)) (f64.const 7.0))
(assert_return (invoke "f64_at" (i32.const 65024)) (f64.const 8.0))
(assert_return (invoke "f64_at" (i32.const 65032)) (f64.const 9.0))
(assert_return (invoke "f64_at" (i32.const 65040)) (f64.const 10.0))
(assert_return (invoke "f64_at" (i32.const 65048)) (f64.const 11.0))
(assert_return (invoke "f64_at" (i32.const 65056)) (f64.const 12.0))
(assert_return (invoke "f64_at" (i32.const 65064)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65072)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65080)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65088)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65096)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65104)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65112)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65120)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65128)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65136)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65144)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65152)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65160)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65168)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65176)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65184)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65192)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65200)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65208)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65216)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65224)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65232)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65240)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65248)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65256)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65264)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65272)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65280)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65288)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65296)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65304)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65312)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65320)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65328)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65336)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65344)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65352)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65360)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65368)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65376)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65384)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65392)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65400)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65408)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65416)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65424)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65432)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65440)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65448)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65456)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65464)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65472)) (f64.const 0.0))
(assert_return (invoke "f64_at" (i32.const 65480)) (f64.const 5.31729353e-315))
(assert_return (invoke "f64_at" (i32.const 65488)) (f64.const 5.318588694e-315))
(assert_return (invoke "f64_at" (i32.const 65496)) (f64.const 5.319883857e-315))
(assert_return (invoke "f64_at" (i32.const 65504)) (f64.const 5.32085523e-315))
(assert_return (invoke "f64_at" (i32.const 65512)) (f64.const 5.32150281e-315))
(assert_return (invoke "f64_at" (i32.const 65520)) (f64.const 5.322150393e-315))
(assert_return (invoke "f64_at" (i32.const 65528)) (f64.const 5.322797975e-315))

;; Clang's loop over n elements: odd and even n, one element, overlapping arrays (c = b + 8),
;; and the last pair half out of bounds.
(invoke "fill" (i32.const 24576) (i32.const 8) (f64.const 1.0))
(invoke "fill" (i32.const 25600) (i32.const 8) (f64.const 50.0))
(invoke "axpy_n" (i32.const 25600) (i32.const 24576) (f64.const 3.0) (i32.const 7))
(assert_return (invoke "f64_at" (i32.const 25600)) (f64.const 53.0))
(assert_return (invoke "f64_at" (i32.const 25608)) (f64.const 57.0))
(assert_return (invoke "f64_at" (i32.const 25616)) (f64.const 61.0))
(assert_return (invoke "f64_at" (i32.const 25624)) (f64.const 65.0))
(assert_return (invoke "f64_at" (i32.const 25632)) (f64.const 69.0))
(assert_return (invoke "f64_at" (i32.const 25640)) (f64.const 73.0))
(assert_return (invoke "f64_at" (i32.const 25648)) (f64.const 77.0))
(assert_return (invoke "f64_at" (i32.const 25656)) (f64.const 57.0))
(invoke "fill" (i32.const 26624) (i32.const 8) (f64.const 10.0))
(invoke "axpy_n" (i32.const 26624) (i32.const 24576) (f64.const -1.0) (i32.const 8))
(assert_return (invoke "f64_at" (i32.const 26624)) (f64.const 9.0))
(assert_return (invoke "f64_at" (i32.const 26632)) (f64.const 9.0))
(assert_return (invoke "f64_at" (i32.const 26640)) (f64.const 9.0))
(assert_return (invoke "f64_at" (i32.const 26648)) (f64.const 9.0))
(assert_return (invoke "f64_at" (i32.const 26656)) (f64.const 9.0))
(assert_return (invoke "f64_at" (i32.const 26664)) (f64.const 9.0))
(assert_return (invoke "f64_at" (i32.const 26672)) (f64.const 9.0))
(assert_return (invoke "f64_at" (i32.const 26680)) (f64.const 9.0))
(invoke "fill" (i32.const 27648) (i32.const 2) (f64.const 10.0))
(invoke "axpy_n" (i32.const 27648) (i32.const 24576) (f64.const 2.0) (i32.const 1))
(assert_return (invoke "f64_at" (i32.const 27648)) (f64.const 12.0))
(assert_return (invoke "f64_at" (i32.const 27656)) (f64.const 11.0))
(invoke "fill" (i32.const 28672) (i32.const 9) (f64.const 1.0))
(invoke "axpy_n" (i32.const 28680) (i32.const 28672) (f64.const 2.0) (i32.const 7))
(assert_return (invoke "f64_at" (i32.const 28672)) (f64.const 1.0))
(assert_return (invoke "f64_at" (i32.const 28680)) (f64.const 4.0))
(assert_return (invoke "f64_at" (i32.const 28688)) (f64.const 11.0))
(assert_return (invoke "f64_at" (i32.const 28696)) (f64.const 26.0))
(assert_return (invoke "f64_at" (i32.const 28704)) (f64.const 57.0))
(assert_return (invoke "f64_at" (i32.const 28712)) (f64.const 120.0))
(assert_return (invoke "f64_at" (i32.const 28720)) (f64.const 247.0))
(assert_return (invoke "f64_at" (i32.const 28728)) (f64.const 502.0))
(assert_return (invoke "f64_at" (i32.const 28736)) (f64.const 9.0))
(invoke "fill" (i32.const 65476) (i32.const 7) (f64.const 10.0))
(assert_trap (invoke "axpy_n" (i32.const 65476) (i32.const 24576) (f64.const 1.0) (i32.const 8)) "out of bounds memory access")
(assert_return (invoke "f64_at" (i32.const 65476)) (f64.const 11.0))
(assert_return (invoke "f64_at" (i32.const 65484)) (f64.const 13.0))
(assert_return (invoke "f64_at" (i32.const 65492)) (f64.const 15.0))
(assert_return (invoke "f64_at" (i32.const 65500)) (f64.const 17.0))
(assert_return (invoke "f64_at" (i32.const 65508)) (f64.const 19.0))
(assert_return (invoke "f64_at" (i32.const 65516)) (f64.const 21.0))
(assert_return (invoke "f64_at" (i32.const 65524)) (f64.const 23.0))
