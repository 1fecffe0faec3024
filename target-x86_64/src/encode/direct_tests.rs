//! The direct encodings (`direct.rs`) must write exactly the bytes iced writes. Each case runs
//! the public method on an assembler restricted to iced (the reference), then the `direct_*`
//! method alone (which must accept the case) and the public method with the direct encodings
//! on, and compares the code. Register forms are checked exhaustively, memory forms on a
//! deterministic pseudo-random sample that covers every base, index and scale.

use std::collections::HashSet;
use std::fmt::Debug;

use super::Assembler;
use crate::error::AsmError;
use crate::inst::{AluOp, Cond, Label, Mem, Scale, ShiftOp, Size};
use crate::regs::Gpr;

const ALU_OPS: [AluOp; 7] = [AluOp::Add, AluOp::Sub, AluOp::And, AluOp::Or, AluOp::Xor, AluOp::Cmp, AluOp::Test];
const SHIFT_OPS: [ShiftOp; 5] = [ShiftOp::Shl, ShiftOp::Shr, ShiftOp::Sar, ShiftOp::Rol, ShiftOp::Ror];
const WIDE: [Size; 2] = [Size::S32, Size::S64];
const SIZES: [Size; 4] = [Size::S8, Size::S16, Size::S32, Size::S64];
const SCALES: [Scale; 4] = [Scale::X1, Scale::X2, Scale::X4, Scale::X8];

/// Displacements around every boundary of the ModRM/SIB encoding.
const DISPS: [i32; 14] = [0, 1, -1, 8, -8, 127, -128, 128, -129, 4096, -4096, 0x1234_5678, i32::MAX, i32::MIN];

/// 32-bit immediates around the imm8/imm32 boundary and the extremes.
const IMMS: [i32; 14] = [0, 1, -1, 2, 127, -128, 128, -129, 255, 0x7fff, -0x8000, 0x1234_5678, i32::MAX, i32::MIN];

/// Memory operands in a sample.
const MEM_CASES: usize = 20_000;

fn hex(code: &[u8]) -> String {
    code.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")
}

/// Runs `emit` on a fresh assembler, with or without the direct encodings, and returns the
/// finished code or the error; also checks that the assembler's offset kept up with the bytes.
fn outcome(iced_only: bool, emit: impl FnOnce(&mut Assembler)) -> Result<Vec<u8>, AsmError> {
    let mut asm = Assembler::new();
    asm.iced_only = iced_only;
    emit(&mut asm);
    let end = asm.offset();
    let out = asm.finish()?;
    assert_eq!(end, out.pool_start, "offset out of step with the code");
    Ok(out.code)
}

/// Checks one directly encoded instruction: `direct` must accept it, and both it and `public`
/// (the public method, direct encodings on) must produce the bytes iced produces for `public`.
fn check(case: &dyn Debug, direct: impl FnOnce(&mut Assembler) -> bool, public: impl Fn(&mut Assembler)) {
    let expected = outcome(true, &public).unwrap_or_else(|e| panic!("{case:?}: iced fails: {e}"));
    let mut accepted = false;
    let direct_code = outcome(false, |asm| accepted = direct(asm)).unwrap();
    assert!(accepted, "{case:?}: not encoded directly");
    assert_eq!(hex(&direct_code), hex(&expected), "{case:?}: direct encoding differs from iced");
    let public_code = outcome(false, &public).unwrap();
    assert_eq!(hex(&public_code), hex(&expected), "{case:?}: public method differs from iced");
}

/// Checks a case the direct encodings leave to iced: `direct` emits nothing and declines, and
/// `public` gives the same code or the same error with and without the direct encodings.
fn check_fallback(case: &dyn Debug, direct: impl FnOnce(&mut Assembler) -> bool, public: impl Fn(&mut Assembler)) {
    let mut asm = Assembler::new();
    assert!(!direct(&mut asm), "{case:?}: encoded directly");
    assert_eq!(asm.offset(), 0, "{case:?}: declined but emitted");
    assert_eq!(outcome(false, &public), outcome(true, &public), "{case:?}: outcome differs from iced");
}

/// xorshift64: a deterministic pseudo-random sample without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn gpr(&mut self) -> Gpr {
        self.pick(&Gpr::ALL)
    }

    /// Half boundary values, a quarter small, a quarter anywhere in the i32 range.
    fn disp(&mut self) -> i32 {
        match self.next() % 4 {
            0 | 1 => self.pick(&DISPS),
            2 => (self.next() % 601) as i32 - 300,
            _ => self.next() as i32,
        }
    }

    fn imm(&mut self) -> i32 {
        if self.next().is_multiple_of(2) {
            self.pick(&IMMS)
        } else {
            self.next() as i32
        }
    }

    /// A register-based address: any base, no index or any index but `rsp`, any scale.
    fn mem(&mut self) -> Mem {
        let base = self.gpr();
        let disp = self.disp();
        match self.next() % 16 {
            0 => Mem::base_disp(base, disp),
            _ => {
                let index = loop {
                    let index = self.gpr();
                    if index != Gpr::Rsp {
                        break index;
                    }
                };
                Mem::indexed(base, index, self.pick(&SCALES), disp)
            }
        }
    }
}

/// Calls `case` with `MEM_CASES` memory operands (and the generator, for the other operands),
/// then checks the sample covered every base/index/scale combination and every boundary
/// displacement.
fn for_each_mem(seed: u64, mut case: impl FnMut(&mut Rng, Mem)) {
    let mut rng = Rng(seed);
    let mut shapes = HashSet::new();
    let mut disps = HashSet::new();
    for _ in 0..MEM_CASES {
        let mem = rng.mem();
        shapes.insert((mem.base, mem.index));
        disps.insert(mem.disp);
        case(&mut rng, mem);
    }
    // 16 bases, each without an index or with one of 15 indexes at 4 scales.
    assert_eq!(shapes.len(), 16 * (1 + 15 * 4), "sample misses some address shapes");
    assert!(DISPS.iter().all(|d| disps.contains(d)), "sample misses some displacements");
}

// ---- Register forms, exhaustively ----

#[test]
fn mov_rr_matches_iced() {
    for size in WIDE {
        for dst in Gpr::ALL {
            for src in Gpr::ALL {
                let case = (size, dst, src);
                check(&case, |a| a.direct_mov_rr(size, dst, src), |a| a.mov_rr(size, dst, src));
            }
        }
    }
}

#[test]
fn alu_rr_matches_iced() {
    for op in ALU_OPS {
        for size in WIDE {
            for dst in Gpr::ALL {
                for src in Gpr::ALL {
                    let case = (op, size, dst, src);
                    check(&case, |a| a.direct_alu_rr(op, size, dst, src), |a| a.alu_rr(op, size, dst, src));
                }
            }
        }
    }
}

#[test]
fn alu_ri_matches_iced() {
    for op in ALU_OPS {
        for size in WIDE {
            for dst in Gpr::ALL {
                for imm in IMMS {
                    let case = (op, size, dst, imm);
                    check(&case, |a| a.direct_alu_ri(op, size, dst, imm), |a| a.alu_ri(op, size, dst, imm));
                }
            }
        }
    }
}

#[test]
fn mov_imm_matches_iced() {
    // Around the three forms' boundaries: zero-extended imm32, sign-extended imm32, imm64.
    let values = [
        0,
        1,
        0x7fff_ffff,
        0x8000_0000,
        0xffff_ffff,
        0x1_0000_0000,
        0x7fff_ffff_ffff_ffff,
        0x8000_0000_0000_0000,
        0xffff_ffff_7fff_ffff,
        0xffff_ffff_8000_0000,
        0xffff_ffff_ffff_fffe,
        u64::MAX,
        0x1234_5678_9abc_def0,
    ];
    for dst in Gpr::ALL {
        for value in values {
            check(&(dst, value), |a| a.direct_mov_imm(dst, value), |a| a.mov_imm(dst, value));
        }
    }
}

#[test]
fn shift_ri_matches_iced() {
    for op in SHIFT_OPS {
        for size in WIDE {
            for dst in Gpr::ALL {
                for count in [0, 1, 2, 7, 31, 32, 33, 63, 64, 65, 127, 255] {
                    let case = (op, size, dst, count);
                    check(&case, |a| a.direct_shift_ri(op, size, dst, count), |a| a.shift_ri(op, size, dst, count));
                }
            }
        }
    }
}

// ---- Memory forms, on a sample ----

#[test]
fn load_zx_matches_iced() {
    for_each_mem(0x9e37_79b9_7f4a_7c15, |rng, mem| {
        let (size, dst) = (rng.pick(&SIZES), rng.gpr());
        check(&(size, dst, mem), |a| a.direct_load_zx(size, dst, mem), |a| a.load_zx(size, dst, mem));
    });
}

#[test]
fn store_matches_iced() {
    for_each_mem(0x2545_f491_4f6c_dd1d, |rng, mem| {
        let (size, src) = (rng.pick(&SIZES), rng.gpr());
        check(&(size, mem, src), |a| a.direct_store(size, mem, src), |a| a.store(size, mem, src));
    });
}

#[test]
fn store_imm_matches_iced() {
    for_each_mem(0xd1b5_4a32_d192_ed03, |rng, mem| {
        let size = rng.pick(&SIZES);
        // Only immediates that fit the size reach the encoders (others are an error).
        let imm = match size {
            Size::S8 => rng.pick(&[0, 1, -1, 127, -128, 128, 255, 0x5a]),
            Size::S16 => rng.pick(&[0, 1, -1, 127, -128, 0x7fff, -0x8000, 0xffff, 0x1234]),
            Size::S32 | Size::S64 => rng.imm(),
        };
        check(&(size, mem, imm), |a| a.direct_store_imm(size, mem, imm), |a| a.store_imm(size, mem, imm));
    });
}

#[test]
fn lea_matches_iced() {
    for_each_mem(0x8cb9_2ba7_2f3d_8dd7, |rng, mem| {
        let (size, dst) = (rng.pick(&WIDE), rng.gpr());
        check(&(size, dst, mem), |a| a.direct_lea(size, dst, mem), |a| a.lea(size, dst, mem));
    });
}

#[test]
fn alu_rm_matches_iced() {
    for_each_mem(0x6a09_e667_f3bc_c908, |rng, mem| {
        let (op, size, dst) = (rng.pick(&ALU_OPS), rng.pick(&WIDE), rng.gpr());
        check(&(op, size, dst, mem), |a| a.direct_alu_rm(op, size, dst, mem), |a| a.alu_rm(op, size, dst, mem));
    });
}

#[test]
fn alu_mr_matches_iced() {
    for_each_mem(0xbb67_ae85_84ca_a73b, |rng, mem| {
        let (op, size, src) = (rng.pick(&ALU_OPS), rng.pick(&WIDE), rng.gpr());
        check(&(op, size, mem, src), |a| a.direct_alu_mr(op, size, mem, src), |a| a.alu_mr(op, size, mem, src));
    });
}

#[test]
fn alu_mi_matches_iced() {
    for_each_mem(0x3c6e_f372_fe94_f82b, |rng, mem| {
        let (op, size, imm) = (rng.pick(&ALU_OPS), rng.pick(&WIDE), rng.imm());
        check(&(op, size, mem, imm), |a| a.direct_alu_mi(op, size, mem, imm), |a| a.alu_mi(op, size, mem, imm));
    });
}

// ---- What stays with iced ----

/// Runs `emit` between creating label 0 and binding it, for the RIP-relative addresses.
fn around_label(emit: impl Fn(&mut Assembler)) -> impl Fn(&mut Assembler) {
    move |a| {
        let label = a.new_label();
        emit(a);
        a.bind_label(label);
    }
}

#[test]
fn memory_forms_leave_other_addresses_to_iced() {
    // RIP-relative (with and without a displacement, and the invalid indexed form), base-less,
    // and `rsp` as an index (an error).
    let label = Mem::label(Label::from_index(0));
    let mems = [
        label,
        Mem { disp: 24, ..label },
        Mem { index: Some((Gpr::Rcx, Scale::X4)), ..label },
        Mem::scaled(Gpr::Rax, Scale::X8, 16),
        Mem::scaled(Gpr::R13, Scale::X1, -1),
        Mem::indexed(Gpr::Rax, Gpr::Rsp, Scale::X1, 0),
        Mem::indexed(Gpr::R12, Gpr::Rsp, Scale::X8, 300),
    ];
    let (reg, imm) = (Gpr::R9, 7);
    for mem in mems {
        for size in SIZES {
            let case = (size, mem);
            check_fallback(&case, |a| a.direct_load_zx(size, reg, mem), around_label(|a| a.load_zx(size, reg, mem)));
            check_fallback(&case, |a| a.direct_store(size, mem, reg), around_label(|a| a.store(size, mem, reg)));
            check_fallback(
                &case,
                |a| a.direct_store_imm(size, mem, imm),
                around_label(|a| a.store_imm(size, mem, imm)),
            );
            check_fallback(&case, |a| a.direct_lea(size, reg, mem), around_label(|a| a.lea(size, reg, mem)));
            for op in ALU_OPS {
                let case = (op, size, mem);
                check_fallback(
                    &case,
                    |a| a.direct_alu_rm(op, size, reg, mem),
                    around_label(|a| a.alu_rm(op, size, reg, mem)),
                );
                check_fallback(
                    &case,
                    |a| a.direct_alu_mr(op, size, mem, reg),
                    around_label(|a| a.alu_mr(op, size, mem, reg)),
                );
                check_fallback(
                    &case,
                    |a| a.direct_alu_mi(op, size, mem, imm),
                    around_label(|a| a.alu_mi(op, size, mem, imm)),
                );
            }
        }
    }
}

#[test]
fn unsupported_sizes_are_left_to_iced() {
    let mem = Mem::base_disp(Gpr::Rdi, 8);
    for size in [Size::S8, Size::S16] {
        let (dst, src) = (Gpr::Rax, Gpr::Rsi);
        check_fallback(&size, |a| a.direct_mov_rr(size, dst, src), |a| a.mov_rr(size, dst, src));
        check_fallback(&size, |a| a.direct_lea(size, dst, mem), |a| a.lea(size, dst, mem));
        check_fallback(&size, |a| a.direct_shift_ri(ShiftOp::Shl, size, dst, 3), |a| a.shift_ri(ShiftOp::Shl, size, dst, 3));
        for op in ALU_OPS {
            let case = (op, size);
            check_fallback(&case, |a| a.direct_alu_rr(op, size, dst, src), |a| a.alu_rr(op, size, dst, src));
            check_fallback(&case, |a| a.direct_alu_ri(op, size, dst, 1), |a| a.alu_ri(op, size, dst, 1));
            check_fallback(&case, |a| a.direct_alu_rm(op, size, dst, mem), |a| a.alu_rm(op, size, dst, mem));
            check_fallback(&case, |a| a.direct_alu_mr(op, size, mem, src), |a| a.alu_mr(op, size, mem, src));
            check_fallback(&case, |a| a.direct_alu_mi(op, size, mem, 1), |a| a.alu_mi(op, size, mem, 1));
        }
    }
}

#[test]
fn store_imm_that_does_not_fit_is_still_an_error() {
    let mem = Mem::base(Gpr::Rdi);
    for (size, imm) in [(Size::S8, 256), (Size::S8, -129), (Size::S16, 0x1_0000), (Size::S16, -0x8001)] {
        let direct = outcome(false, |a| a.store_imm(size, mem, imm));
        assert_eq!(direct, outcome(true, |a| a.store_imm(size, mem, imm)), "{size:?} {imm}");
        assert!(direct.is_err(), "{size:?} {imm}");
    }
}

/// A sequence mixing direct and iced encodings keeps offsets, labels and RIP-relative fix-ups
/// as iced alone would.
#[test]
fn mixed_sequence_matches_iced() {
    let emit = |a: &mut Assembler| {
        let top = a.new_label();
        a.bind_label(top);
        let constant = a.const_u64(0x1122_3344_5566_7788);
        a.mov_imm(Gpr::R11, 0x1_0000_0000);
        a.load_zx(Size::S64, Gpr::Rax, constant);
        a.lea(Size::S64, Gpr::R12, Mem::indexed(Gpr::R13, Gpr::R12, Scale::X8, 0));
        a.alu_ri(AluOp::Cmp, Size::S32, Gpr::Rax, 1000);
        a.alu_rm(AluOp::Add, Size::S64, Gpr::Rax, constant);
        a.store(Size::S8, Mem::base(Gpr::Rsp), Gpr::Rsi);
        a.jcc(Cond::NE, top);
        a.ret();
    };
    let direct = outcome(false, emit).unwrap();
    assert_eq!(hex(&direct), hex(&outcome(true, emit).unwrap()));
}
