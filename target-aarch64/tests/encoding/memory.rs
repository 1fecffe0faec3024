//! Loads and stores in every addressing form, for general and SIMD&FP registers, and pairs.

use crate::common::*;
use target_aarch64::*;

/// (size, zero-extending load mnemonic, store mnemonic, register view).
const SIZES: [(Size, &str, &str, Size); 4] = [
    (Size::S8, "ldrb", "strb", Size::S32),
    (Size::S16, "ldrh", "strh", Size::S32),
    (Size::S32, "ldr", "str", Size::S32),
    (Size::S64, "ldr", "str", Size::S64),
];

/// The unscaled-offset mnemonic: `ldrb` -> `ldurb`, `ldr` -> `ldur`.
fn unscaled(mnemonic: &str) -> String {
    format!("{}u{}", &mnemonic[..2], &mnemonic[2..])
}

#[test]
fn offsets_pick_the_scaled_or_unscaled_form() {
    let mut expect = Expect::new();
    for (size, load, store, view) in SIZES {
        let bytes = size.bytes() as i32;
        for (t, base) in [(Gpr::X0, Gpr::X1), (Gpr::X30, Gpr::Sp), (Gpr::X29, Gpr::X28)] {
            let rt = r(t, view);
            let rn = x(base);
            expect.one(format!("{load} {rt}, [{rn}]"), |a| a.load(size, t, Mem::base(base)));
            let max = 4095 * bytes;
            expect.one(format!("{load} {rt}, [{rn}, #{max}]"), |a| a.load(size, t, Mem::offset(base, max)));
            expect.one(format!("{store} {rt}, [{rn}, #{bytes}]"), |a| a.store(size, Mem::offset(base, bytes), t));
            // Negative, or not a multiple of the size: the unscaled form.
            expect.one(format!("{} {rt}, [{rn}, #-256]", unscaled(load)), |a| a.load(size, t, Mem::offset(base, -256)));
            // Bytes have no misaligned offsets: -1 is the unscaled case there.
            let odd = if bytes == 1 { -1 } else { 255 };
            expect
                .one(format!("{} {rt}, [{rn}, #{odd}]", unscaled(store)), |a| a.store(size, Mem::offset(base, odd), t));
        }
        // One slot past the scaled range, and below the unscaled one.
        let beyond = 4096 * bytes;
        assert!(error(|a| a.load(size, Gpr::X0, Mem::offset(Gpr::X1, beyond))).contains("neither"), "{size:?}");
        assert!(error(|a| a.store(size, Mem::offset(Gpr::X1, -257), Gpr::X0)).contains("neither"));
    }
    expect.one("str xzr, [sp, #8]", |a| a.store(Size::S64, Mem::offset(Gpr::Sp, 8), Gpr::Zr));
    expect.one("strb wzr, [x0]", |a| a.store(Size::S8, Mem::base(Gpr::X0), Gpr::Zr));
    expect.check();
    assert!(error(|a| a.load(Size::S64, Gpr::X0, Mem::base(Gpr::Zr))).contains("zero register is not allowed"));
    assert!(error(|a| a.load(Size::S64, Gpr::Sp, Mem::base(Gpr::X0))).contains("sp is not allowed"));
}

#[test]
fn sign_extending_loads() {
    let mut expect = Expect::new();
    let forms = [
        (Size::S8, Size::S32, "ldrsb w0"),
        (Size::S8, Size::S64, "ldrsb x0"),
        (Size::S16, Size::S32, "ldrsh w0"),
        (Size::S16, Size::S64, "ldrsh x0"),
        (Size::S32, Size::S64, "ldrsw x0"),
    ];
    for (from, to, head) in forms {
        let bytes = from.bytes() as i32;
        expect.one(format!("{head}, [x1, #{}]", 2 * bytes), |a| {
            a.load_sx(from, to, Gpr::X0, Mem::offset(Gpr::X1, 2 * bytes))
        });
        let (mnemonic, reg) = head.split_once(' ').unwrap();
        expect.one(format!("{} {reg}, [x1, #-1]", unscaled(mnemonic)), |a| {
            a.load_sx(from, to, Gpr::X0, Mem::offset(Gpr::X1, -1))
        });
        expect.one(format!("{head}, [x1, w2, sxtw]"), |a| {
            a.load_sx(
                from,
                to,
                Gpr::X0,
                Mem::Indexed { base: Gpr::X1, index: Gpr::X2, extend: Extend::Sxtw, scaled: false },
            )
        });
    }
    expect.check();
    assert!(error(|a| a.load_sx(Size::S32, Size::S32, Gpr::X0, Mem::base(Gpr::X1))).contains("cannot extend"));
    assert!(error(|a| a.load_sx(Size::S64, Size::S64, Gpr::X0, Mem::base(Gpr::X1))).contains("cannot extend"));
}

#[test]
fn register_offsets() {
    let mut expect = Expect::new();
    for (size, load, store, view) in SIZES {
        let shift = size.log2();
        let rt = r(Gpr::X3, view);
        // A Wasm heap access: 64-bit base plus a zero-extended 32-bit address.
        expect.one(format!("{load} {rt}, [x28, w0, uxtw]"), |a| a.load(size, Gpr::X3, Mem::uxtw(Gpr::X28, Gpr::X0)));
        let scaled = Mem::Indexed { base: Gpr::Sp, index: Gpr::X30, extend: Extend::Uxtw, scaled: true };
        expect.one(format!("{store} {rt}, [sp, w30, uxtw #{shift}]"), |a| a.store(size, scaled, Gpr::X3));
        expect.one(format!("{load} {rt}, [x1, x2]"), |a| a.load(size, Gpr::X3, Mem::indexed(Gpr::X1, Gpr::X2, false)));
        expect.one(format!("{load} {rt}, [x1, x2, lsl #{shift}]"), |a| {
            a.load(size, Gpr::X3, Mem::indexed(Gpr::X1, Gpr::X2, true))
        });
        let sxtx = Mem::Indexed { base: Gpr::X1, index: Gpr::X2, extend: Extend::Sxtx, scaled: false };
        expect.one(format!("{store} {rt}, [x1, x2, sxtx]"), |a| a.store(size, sxtx, Gpr::X3));
    }
    expect.check();
    let byte_index = Mem::Indexed { base: Gpr::X1, index: Gpr::X2, extend: Extend::Uxtb, scaled: false };
    assert!(error(|a| a.load(Size::S64, Gpr::X0, byte_index)).contains("cannot be extended"));
    assert!(error(|a| a.load(Size::S64, Gpr::X0, Mem::uxtw(Gpr::X1, Gpr::Sp))).contains("sp is not allowed"));
}

#[test]
fn writeback_forms() {
    let mut expect = Expect::new();
    expect.one("ldr x0, [x1, #16]!", |a| a.load(Size::S64, Gpr::X0, Mem::PreIndex { base: Gpr::X1, offset: 16 }));
    expect.one("str w30, [sp], #-4", |a| a.store(Size::S32, Mem::PostIndex { base: Gpr::Sp, offset: -4 }, Gpr::X30));
    expect.one("ldrb w2, [x3], #255", |a| a.load(Size::S8, Gpr::X2, Mem::PostIndex { base: Gpr::X3, offset: 255 }));
    expect.one("ldrsh x2, [x3, #-256]!", |a| {
        a.load_sx(Size::S16, Size::S64, Gpr::X2, Mem::PreIndex { base: Gpr::X3, offset: -256 })
    });
    expect
        .one("str q31, [sp, #-16]!", |a| a.store_fp(VSize::Q, Mem::PreIndex { base: Gpr::Sp, offset: -16 }, Vreg::V31));
    expect.check();
    let pre = |offset| Mem::PreIndex { base: Gpr::X1, offset };
    assert!(error(|a| a.load(Size::S64, Gpr::X0, pre(256))).contains("-256..=255"));
    assert!(error(|a| a.load(Size::S64, Gpr::X1, pre(8))).contains("writeback to the base"));
}

#[test]
fn simd_and_fp_registers() {
    let mut expect = Expect::new();
    for (size, view) in [(VSize::S, 's'), (VSize::D, 'd'), (VSize::Q, 'q')] {
        let bytes = size.bytes() as i32;
        for (t, base) in [(Vreg::V0, Gpr::X1), (Vreg::V31, Gpr::Sp), (Vreg::V8, Gpr::X30)] {
            let (rt, rn) = (vr(view, t), x(base));
            expect
                .one(format!("ldr {rt}, [{rn}, #{}]", 3 * bytes), |a| a.load_fp(size, t, Mem::offset(base, 3 * bytes)));
            expect.one(format!("str {rt}, [{rn}, #{}]", 4095 * bytes), |a| {
                a.store_fp(size, Mem::offset(base, 4095 * bytes), t)
            });
            expect.one(format!("ldur {rt}, [{rn}, #-8]"), |a| a.load_fp(size, t, Mem::offset(base, -8)));
            expect.one(format!("stur {rt}, [{rn}, #1]"), |a| a.store_fp(size, Mem::offset(base, 1), t));
            expect.one(format!("ldr {rt}, [{rn}, w2, uxtw]"), |a| a.load_fp(size, t, Mem::uxtw(base, Gpr::X2)));
            let shift = bytes.trailing_zeros();
            expect.one(format!("str {rt}, [{rn}, x2, lsl #{shift}]"), |a| {
                a.store_fp(size, Mem::indexed(base, Gpr::X2, true), t)
            });
        }
    }
    expect.check();
    assert!(error(|a| a.store_fp(VSize::Q, Mem::Label(Label::from_index(0)), Vreg::V0)).contains("no pc-relative"));
}

#[test]
fn pairs() {
    let mut expect = Expect::new();
    let sp = Gpr::Sp;
    expect.one("stp x29, x30, [sp, #-16]!", |a| {
        a.store_pair(Size::S64, Mem::PreIndex { base: sp, offset: -16 }, Gpr::X29, Gpr::X30)
    });
    expect.one("ldp x29, x30, [sp], #16", |a| {
        a.load_pair(Size::S64, Gpr::X29, Gpr::X30, Mem::PostIndex { base: sp, offset: 16 })
    });
    expect.one("stp x19, x20, [sp, #504]", |a| a.store_pair(Size::S64, Mem::offset(sp, 504), Gpr::X19, Gpr::X20));
    expect
        .one("ldp x27, x28, [x29, #-512]", |a| a.load_pair(Size::S64, Gpr::X27, Gpr::X28, Mem::offset(Gpr::X29, -512)));
    expect.one("stp w0, wzr, [x2, #8]", |a| a.store_pair(Size::S32, Mem::offset(Gpr::X2, 8), Gpr::X0, Gpr::Zr));
    expect.one("ldp w0, w1, [x2, #252]", |a| a.load_pair(Size::S32, Gpr::X0, Gpr::X1, Mem::offset(Gpr::X2, 252)));
    expect.one("stp d8, d9, [sp, #-64]!", |a| {
        a.store_pair_fp(VSize::D, Mem::PreIndex { base: sp, offset: -64 }, Vreg::V8, Vreg::V9)
    });
    expect.one("ldp d14, d15, [sp, #48]", |a| a.load_pair_fp(VSize::D, Vreg::V14, Vreg::V15, Mem::offset(sp, 48)));
    expect.one("ldp s30, s31, [x0], #-256", |a| {
        a.load_pair_fp(VSize::S, Vreg::V30, Vreg::V31, Mem::PostIndex { base: Gpr::X0, offset: -256 })
    });
    expect.one("stp q0, q1, [sp, #1008]", |a| a.store_pair_fp(VSize::Q, Mem::offset(sp, 1008), Vreg::V0, Vreg::V1));
    expect.check();
    assert!(error(|a| a.store_pair(Size::S64, Mem::offset(sp, 4), Gpr::X0, Gpr::X1)).contains("multiple of 8"));
    assert!(error(|a| a.store_pair(Size::S64, Mem::offset(sp, 512), Gpr::X0, Gpr::X1)).contains("within 64"));
    assert!(error(|a| a.load_pair(Size::S64, Gpr::X0, Gpr::X0, Mem::base(sp))).contains("same"));
    let writeback = Mem::PreIndex { base: Gpr::X1, offset: 16 };
    assert!(error(|a| a.load_pair(Size::S64, Gpr::X0, Gpr::X1, writeback)).contains("writeback to the base"));
    assert!(error(|a| a.load_pair(Size::S64, Gpr::X0, Gpr::X1, Mem::uxtw(sp, Gpr::X2))).contains("only offset"));
    assert!(error(|a| a.store_pair(Size::S16, Mem::base(sp), Gpr::X0, Gpr::X1)).contains("32- and 64-bit"));
}
