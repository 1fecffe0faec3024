//! Assembled code executed on the host, compared with the same computation in Rust.

use crate::jit::Jit;
use target_x86_64::*;

/// Operands that probe signs, extremes and ordinary values.
const VALUES: [u64; 10] =
    [0, 1, 2, 7, 0x8000_0000, 0xffff_ffff, 0x1234_5678_9abc_def0, i64::MAX as u64, i64::MIN as u64, u64::MAX];

#[test]
fn alu_and_shifts_match_rust() {
    type Op = (fn(&mut Assembler), fn(u64, u64) -> u64);
    let ops: [Op; 9] = [
        (|a| a.alu_rr(AluOp::Add, Size::S64, Gpr::Rax, Gpr::Rsi), |x, y| x.wrapping_add(y)),
        (|a| a.alu_rr(AluOp::Sub, Size::S32, Gpr::Rax, Gpr::Rsi), |x, y| u64::from((x as u32).wrapping_sub(y as u32))),
        (|a| a.alu_rr(AluOp::Xor, Size::S64, Gpr::Rax, Gpr::Rsi), |x, y| x ^ y),
        (|a| a.imul_rr(Size::S64, Gpr::Rax, Gpr::Rsi), |x, y| x.wrapping_mul(y)),
        (|a| a.imul_rr(Size::S32, Gpr::Rax, Gpr::Rsi), |x, y| u64::from((x as u32).wrapping_mul(y as u32))),
        (|a| a.shift_cl(ShiftOp::Sar, Size::S64, Gpr::Rax), |x, y| ((x as i64) >> (y & 63)) as u64),
        (|a| a.shift_cl(ShiftOp::Shr, Size::S32, Gpr::Rax), |x, y| u64::from((x as u32) >> (y & 31))),
        (|a| a.shift_cl(ShiftOp::Rol, Size::S32, Gpr::Rax), |x, y| u64::from((x as u32).rotate_left(y as u32 & 31))),
        (|a| a.shift_cl(ShiftOp::Ror, Size::S64, Gpr::Rax), |x, y| x.rotate_right(y as u32 & 63)),
    ];
    for (emit, expected) in ops {
        let jit = Jit::new(|a| {
            a.mov_rr(Size::S64, Gpr::Rax, Gpr::Rdi);
            a.mov_rr(Size::S64, Gpr::Rcx, Gpr::Rsi);
            emit(a);
            a.ret();
        });
        for x in VALUES {
            for y in VALUES {
                assert_eq!(jit.int2(x, y), expected(x, y), "{x:#x} {y:#x}");
            }
        }
    }
}

#[test]
fn widening_multiply_high_half() {
    let jit = Jit::new(|a| {
        a.mov_rr(Size::S64, Gpr::Rax, Gpr::Rdi);
        a.mul_wide(Gpr::Rsi);
        a.mov_rr(Size::S64, Gpr::Rax, Gpr::Rdx);
        a.ret();
    });
    for x in VALUES {
        for y in VALUES {
            assert_eq!(jit.int2(x, y), ((u128::from(x) * u128::from(y)) >> 64) as u64, "{x:#x} {y:#x}");
        }
    }
}

#[test]
fn division_and_remainder() {
    // (signed, want remainder)
    for (signed, rem) in [(false, false), (false, true), (true, false), (true, true)] {
        let jit = Jit::new(|a| {
            a.mov_rr(Size::S64, Gpr::Rax, Gpr::Rdi);
            if signed {
                a.sign_extend_rax(Size::S64);
                a.idiv(Size::S64, Gpr::Rsi);
            } else {
                a.zero(Gpr::Rdx);
                a.div(Size::S64, Gpr::Rsi);
            }
            if rem {
                a.mov_rr(Size::S64, Gpr::Rax, Gpr::Rdx);
            }
            a.ret();
        });
        for x in VALUES {
            for y in VALUES.into_iter().filter(|&y| y != 0 && !(signed && y == u64::MAX && x == i64::MIN as u64)) {
                let expected = match (signed, rem) {
                    (false, false) => x / y,
                    (false, true) => x % y,
                    (true, false) => ((x as i64) / (y as i64)) as u64,
                    (true, true) => ((x as i64) % (y as i64)) as u64,
                };
                assert_eq!(jit.int2(x, y), expected, "{x:#x} {y:#x} signed={signed} rem={rem}");
            }
        }
    }
}

#[test]
fn compare_and_set_or_select() {
    // rax = (rdi <s rsi) ? 1 : 0 ; then rax += (rdi <u rsi) ? 0x100 : 0 via cmov.
    let jit = Jit::new(|a| {
        a.mov_imm(Gpr::Rdx, 0x100);
        a.zero(Gpr::Rcx);
        a.alu_rr(AluOp::Cmp, Size::S64, Gpr::Rdi, Gpr::Rsi);
        a.set_bool(Cond::L, Gpr::Rax);
        a.cmov(Cond::AE, Size::S64, Gpr::Rdx, Gpr::Rcx);
        a.alu_rr(AluOp::Add, Size::S64, Gpr::Rax, Gpr::Rdx);
        a.ret();
    });
    for x in VALUES {
        for y in VALUES {
            let expected = u64::from((x as i64) < (y as i64)) + if x < y { 0x100 } else { 0 };
            assert_eq!(jit.int2(x, y), expected, "{x:#x} {y:#x}");
        }
    }
}

#[test]
fn loop_with_backward_branch_sums() {
    // rax = sum of 1..=rdi
    let jit = Jit::new(|a| {
        let (top, done) = (a.new_label(), a.new_label());
        a.zero(Gpr::Rax);
        a.alu_rr(AluOp::Test, Size::S64, Gpr::Rdi, Gpr::Rdi);
        a.jcc(Cond::E, done);
        a.bind_label(top);
        a.alu_rr(AluOp::Add, Size::S64, Gpr::Rax, Gpr::Rdi);
        a.alu_ri(AluOp::Sub, Size::S64, Gpr::Rdi, 1);
        a.jcc(Cond::NE, top);
        a.bind_label(done);
        a.ret();
    });
    for n in [0u64, 1, 2, 10, 1000] {
        assert_eq!(jit.int2(n, 0), n * (n + 1) / 2);
    }
}

#[test]
fn jump_table_dispatches_to_each_case() {
    let results = [11u64, 22, 33, 0x1_0000_0000];
    let jit = Jit::new(|a| {
        let table = a.new_label();
        let default = a.new_label();
        let cases: Vec<Label> = results.iter().map(|_| a.new_label()).collect();
        a.alu_ri(AluOp::Cmp, Size::S64, Gpr::Rdi, results.len() as i32);
        a.jcc(Cond::AE, default);
        a.jump_table_dispatch(table, Gpr::Rdi, Gpr::Rcx);
        for (&case, &value) in cases.iter().zip(&results) {
            a.bind_label(case);
            a.mov_imm(Gpr::Rax, value);
            a.ret();
        }
        a.bind_label(default);
        a.mov_imm(Gpr::Rax, u64::MAX);
        a.ret();
        a.emit_jump_table(table, &cases);
    });
    for (i, &value) in results.iter().enumerate() {
        assert_eq!(jit.int2(i as u64, 0), value);
    }
    assert_eq!(jit.int2(results.len() as u64, 0), u64::MAX);
}

#[test]
fn memory_loads_extend_and_stores_truncate() {
    // rdi points at a buffer; rsi selects the operation.
    let buf: [u8; 16] = [0x80, 0xff, 0x01, 0x80, 0xfe, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0];
    type Load = (fn(&mut Assembler), u64);
    let loads: [Load; 5] = [
        (|a| a.load_zx(Size::S8, Gpr::Rax, Mem::base(Gpr::Rdi)), 0x80),
        (|a| a.load_sx(Size::S8, Size::S64, Gpr::Rax, Mem::base(Gpr::Rdi)), 0xffff_ffff_ffff_ff80),
        (|a| a.load_sx(Size::S16, Size::S32, Gpr::Rax, Mem::base_disp(Gpr::Rdi, 2)), 0xffff_8001),
        (|a| a.load_sx(Size::S32, Size::S64, Gpr::Rax, Mem::base_disp(Gpr::Rdi, 4)), (-2i64) as u64),
        (|a| a.load_zx(Size::S32, Gpr::Rax, Mem::indexed(Gpr::Rdi, Gpr::Rsi, Scale::X4, 0)), 0xffff_fffe),
    ];
    for (emit, expected) in loads {
        let jit = Jit::new(|a| {
            a.mov_imm(Gpr::Rax, u64::MAX);
            emit(a);
            a.ret();
        });
        assert_eq!(jit.int2(buf.as_ptr() as u64, 1), expected);
    }
    let mut out = [0u8; 16];
    let jit = Jit::new(|a| {
        a.mov_imm(Gpr::Rax, 0x1122_3344_5566_7788);
        a.store(Size::S16, Mem::base(Gpr::Rdi), Gpr::Rax);
        a.store(Size::S8, Mem::base_disp(Gpr::Rdi, 3), Gpr::Rax);
        a.store_imm(Size::S64, Mem::base_disp(Gpr::Rdi, 8), -2);
        a.ret();
    });
    jit.int2(out.as_mut_ptr() as u64, 0);
    assert_eq!(out, [0x88, 0x77, 0, 0x88, 0, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
}

#[test]
fn float_masks_from_the_constant_pool() {
    let abs = Jit::new(|a| {
        let mask = a.const_u128(u128::from(u64::MAX >> 1) * 0x1_0000_0000_0000_0001);
        a.bitwise_rm(BitwiseOp::And, Xmm::Xmm0, mask);
        a.ret();
    });
    let neg = Jit::new(|a| {
        let sign = a.const_u128(0x8000_0000);
        a.bitwise_rm(BitwiseOp::Xor, Xmm::Xmm0, sign);
        a.ret();
    });
    for x in [0.0f64, -0.0, 1.5, -2.25, f64::INFINITY, f64::NEG_INFINITY, f64::MIN_POSITIVE] {
        assert_eq!(abs.f64_1(x).to_bits(), x.abs().to_bits());
    }
    for x in [0.0f32, -0.0, 1.5, -2.25, f32::INFINITY, f32::MAX] {
        assert_eq!(neg.f32_1(x).to_bits(), (-x).to_bits());
    }
}

#[test]
fn rounding_and_arithmetic_match_rust() {
    let round = |mode| {
        Jit::new(move |a| {
            a.round(FloatSize::F64, mode, Xmm::Xmm1, Xmm::Xmm0);
            a.movaps(Xmm::Xmm0, Xmm::Xmm1);
            a.ret();
        })
    };
    let (floor, ceil, trunc, nearest) =
        (round(RoundMode::Floor), round(RoundMode::Ceil), round(RoundMode::Trunc), round(RoundMode::Nearest));
    // x * 3 + 1, with the constants from the pool.
    let affine = Jit::new(|a| {
        let (three, one) = (a.const_u64(3.0f64.to_bits()), a.const_u64(1.0f64.to_bits()));
        a.float_rm(FloatOp::Mul, FloatSize::F64, Xmm::Xmm0, three);
        a.load_float(FloatSize::F64, Xmm::Xmm9, one);
        a.float_rr(FloatOp::Add, FloatSize::F64, Xmm::Xmm0, Xmm::Xmm9);
        a.ret();
    });
    for x in [0.5f64, 1.5, 2.5, -0.5, -1.5, 2.7, -2.7, 1e300, -0.0] {
        assert_eq!(floor.f64_1(x).to_bits(), x.floor().to_bits(), "floor {x}");
        assert_eq!(ceil.f64_1(x).to_bits(), x.ceil().to_bits(), "ceil {x}");
        assert_eq!(trunc.f64_1(x).to_bits(), x.trunc().to_bits(), "trunc {x}");
        assert_eq!(nearest.f64_1(x).to_bits(), x.round_ties_even().to_bits(), "nearest {x}");
        assert_eq!(affine.f64_1(x), x * 3.0 + 1.0, "affine {x}");
    }
}

#[test]
fn conversions_round_trip_through_integers() {
    // f32 -> i64 (truncating) -> f64 -> f32.
    let jit = Jit::new(|a| {
        a.cvt_float_to_int(FloatSize::F32, Size::S64, Gpr::R10, Xmm::Xmm0);
        a.cvt_int_to_float(FloatSize::F64, Size::S64, Xmm::Xmm13, Gpr::R10);
        a.cvt_float(FloatSize::F64, Xmm::Xmm0, Xmm::Xmm13);
        a.ret();
    });
    for x in [0.0f32, 1.9, -1.9, 123456.7, -8388608.5] {
        assert_eq!(jit.f32_1(x), x.trunc(), "{x}");
    }
    // Bits through general registers: f32 -> u32 -> +1 -> f32 is the next float up.
    let next_up = Jit::new(|a| {
        a.mov_xmm_to_gpr(Size::S32, Gpr::Rax, Xmm::Xmm0);
        a.alu_ri(AluOp::Add, Size::S32, Gpr::Rax, 1);
        a.mov_gpr_to_xmm(Size::S32, Xmm::Xmm0, Gpr::Rax);
        a.ret();
    });
    for x in [1.0f32, 3.5, 1e-30] {
        assert_eq!(next_up.f32_1(x).to_bits(), x.to_bits() + 1);
    }
}

#[test]
fn calls_to_labels_and_through_registers() {
    extern "sysv64" fn triple(x: u64) -> u64 {
        x * 3
    }
    // rax = helper(rdi) + triple(rsi), with helper(x) = x + 5 local to the code.
    let jit = Jit::new(|a| {
        let helper = a.new_label();
        a.push(Gpr::Rbx); // keeps the stack 16-byte aligned at the calls
        a.push(Gpr::R12);
        a.push(Gpr::R13);
        a.mov_rr(Size::S64, Gpr::R12, Gpr::Rsi);
        a.call_label(helper);
        a.mov_rr(Size::S64, Gpr::Rbx, Gpr::Rax);
        a.mov_rr(Size::S64, Gpr::Rdi, Gpr::R12);
        a.mov_imm(Gpr::R13, triple as extern "sysv64" fn(u64) -> u64 as usize as u64);
        a.call_reg(Gpr::R13);
        a.alu_rr(AluOp::Add, Size::S64, Gpr::Rax, Gpr::Rbx);
        a.pop(Gpr::R13);
        a.pop(Gpr::R12);
        a.pop(Gpr::Rbx);
        a.ret();
        a.bind_label(helper);
        a.lea(Size::S64, Gpr::Rax, Mem::base_disp(Gpr::Rdi, 5));
        a.ret();
    });
    assert_eq!(jit.int2(10, 7), 15 + 21);
}

#[test]
fn bit_counts_match_rust() {
    let available = |op| match op {
        BitCountOp::Lzcnt => std::is_x86_feature_detected!("lzcnt"),
        BitCountOp::Tzcnt => std::is_x86_feature_detected!("bmi1"),
        BitCountOp::Popcnt => std::is_x86_feature_detected!("popcnt"),
        BitCountOp::Bsf | BitCountOp::Bsr => true,
    };
    type Reference = fn(u64) -> u64;
    let ops: [(BitCountOp, Reference); 5] = [
        (BitCountOp::Bsf, |x| u64::from(x.trailing_zeros())),
        (BitCountOp::Bsr, |x| u64::from(63 - x.leading_zeros())),
        (BitCountOp::Lzcnt, |x| u64::from(x.leading_zeros())),
        (BitCountOp::Tzcnt, |x| u64::from(x.trailing_zeros())),
        (BitCountOp::Popcnt, |x| u64::from(x.count_ones())),
    ];
    for (op, expected) in ops.into_iter().filter(|&(op, _)| available(op)) {
        let jit = Jit::new(|a| {
            a.bit_count(op, Size::S64, Gpr::Rax, Gpr::Rdi);
            a.ret();
        });
        // bsf/bsr leave the result undefined for zero.
        for x in VALUES.into_iter().filter(|&x| x != 0 || !matches!(op, BitCountOp::Bsf | BitCountOp::Bsr)) {
            assert_eq!(jit.int2(x, 0), expected(x), "{op:?} {x:#x}");
        }
    }
}

#[test]
fn packed_lanes_add_shuffle_and_extract() {
    let mut a_lanes: [u32; 4] = [1, 2, 0xffff_ffff, 40];
    let b_lanes: [u32; 4] = [10, 20, 2, 2];
    // a = reverse(a + b); return lane 1 of the result zero-extended, after inserting 99 in lane 3.
    let jit = Jit::new(|a| {
        a.load_v128(Xmm::Xmm8, Mem::base(Gpr::Rdi));
        a.load_v128(Xmm::Xmm1, Mem::base(Gpr::Rsi));
        a.packed_rr(PackedOp::Paddd, Xmm::Xmm8, Xmm::Xmm1);
        a.packed_rri(PackedImmOp::Pshufd, Xmm::Xmm2, Xmm::Xmm8, 0b00_01_10_11);
        a.mov_imm(Gpr::Rcx, 99);
        a.insert_lane(Size::S32, Xmm::Xmm2, Gpr::Rcx, 3);
        a.store_v128(Mem::base(Gpr::Rdi), Xmm::Xmm2);
        a.extract_lane(Size::S32, Gpr::Rax, Xmm::Xmm2, 1);
        a.ret();
    });
    let lane1 = jit.int2(a_lanes.as_mut_ptr() as u64, b_lanes.as_ptr() as u64);
    assert_eq!(a_lanes, [42, 1, 22, 99]);
    assert_eq!(lane1, 1);
}

#[test]
fn unordered_compare_flags_follow_the_documented_conditions() {
    // Returns a bit mask of which conditions hold after `ucomisd xmm0, xmm1`, the first
    // condition in the highest bit; only flag-preserving instructions follow the compare.
    let conds = [Cond::E, Cond::NE, Cond::B, Cond::A, Cond::BE, Cond::AE, Cond::P, Cond::NP];
    let jit = Jit::new(|a| {
        a.zero(Gpr::Rax);
        a.ucomis(FloatSize::F64, Xmm::Xmm0, Xmm::Xmm1);
        for cond in conds {
            a.set_bool(cond, Gpr::Rcx);
            a.lea(Size::S64, Gpr::Rax, Mem::indexed(Gpr::Rcx, Gpr::Rax, Scale::X2, 0));
            // rax = 2*rax + rcx
        }
        a.ret();
    });
    // SAFETY: the code above takes two f64 and returns an integer.
    let run = unsafe { jit.entry::<extern "sysv64" fn(f64, f64) -> u64>() };
    let mask = |held: &[Cond]| -> u64 {
        conds.iter().rev().enumerate().filter(|(_, c)| held.contains(c)).map(|(bit, _)| 1 << bit).sum()
    };
    assert_eq!(run(1.0, 2.0), mask(&[Cond::NE, Cond::B, Cond::BE, Cond::NP]));
    assert_eq!(run(2.0, 1.0), mask(&[Cond::NE, Cond::A, Cond::AE, Cond::NP]));
    assert_eq!(run(-0.0, 0.0), mask(&[Cond::E, Cond::BE, Cond::AE, Cond::NP]));
    // Unordered: ZF, PF and CF all set.
    assert_eq!(run(f64::NAN, 1.0), mask(&[Cond::E, Cond::B, Cond::BE, Cond::P]));
}
