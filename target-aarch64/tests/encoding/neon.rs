//! Advanced SIMD vector instructions.

use crate::common::*;
use target_aarch64::*;

const V0: Vreg = Vreg::V0;
const V1: Vreg = Vreg::V1;
const V31: Vreg = Vreg::V31;
const V17: Vreg = Vreg::V17;

#[test]
fn three_register_operations() {
    let mut expect = Expect::new();
    let int_ops = [
        (VecOp::Add, "add"),
        (VecOp::Sub, "sub"),
        (VecOp::Cmeq, "cmeq"),
        (VecOp::Cmgt, "cmgt"),
        (VecOp::Cmhi, "cmhi"),
        (VecOp::Cmge, "cmge"),
        (VecOp::Cmhs, "cmhs"),
        (VecOp::Sqadd, "sqadd"),
        (VecOp::Uqadd, "uqadd"),
        (VecOp::Sqsub, "sqsub"),
        (VecOp::Uqsub, "uqsub"),
        (VecOp::Sshl, "sshl"),
        (VecOp::Ushl, "ushl"),
        (VecOp::Zip1, "zip1"),
        (VecOp::Zip2, "zip2"),
        (VecOp::Uzp1, "uzp1"),
        (VecOp::Uzp2, "uzp2"),
    ];
    let all = [(VArr::B16, "16b"), (VArr::H8, "8h"), (VArr::S4, "4s"), (VArr::D2, "2d")];
    for (op, name) in int_ops {
        for (arr, t) in all {
            expect.one(format!("{name} v0.{t}, v1.{t}, v31.{t}"), |a| a.vec_rrr(op, arr, V0, V1, V31));
        }
    }
    let no_d = [
        (VecOp::Mul, "mul"),
        (VecOp::Smax, "smax"),
        (VecOp::Umax, "umax"),
        (VecOp::Smin, "smin"),
        (VecOp::Umin, "umin"),
        (VecOp::Urhadd, "urhadd"),
        (VecOp::Addp, "addp"),
    ];
    for (op, name) in no_d {
        for (arr, t) in &all[..3] {
            expect.one(format!("{name} v17.{t}, v0.{t}, v1.{t}"), |a| a.vec_rrr(op, *arr, V17, V0, V1));
        }
    }
    expect.one("sqrdmulh v0.8h, v1.8h, v31.8h", |a| a.vec_rrr(VecOp::Sqrdmulh, VArr::H8, V0, V1, V31));
    for (op, name) in
        [(VecOp::And, "and"), (VecOp::Bic, "bic"), (VecOp::Orr, "orr"), (VecOp::Eor, "eor"), (VecOp::Bsl, "bsl")]
    {
        expect.one(format!("{name} v31.16b, v0.16b, v17.16b"), |a| a.vec_rrr(op, VArr::B16, V31, V0, V17));
    }
    let float_ops = [
        (VecOp::Fadd, "fadd"),
        (VecOp::Fsub, "fsub"),
        (VecOp::Fmul, "fmul"),
        (VecOp::Fdiv, "fdiv"),
        (VecOp::Fmax, "fmax"),
        (VecOp::Fmin, "fmin"),
        (VecOp::Fcmeq, "fcmeq"),
        (VecOp::Fcmge, "fcmge"),
        (VecOp::Fcmgt, "fcmgt"),
    ];
    for (op, name) in float_ops {
        for (arr, t) in [(VArr::S4, "4s"), (VArr::D2, "2d")] {
            expect.one(format!("{name} v1.{t}, v17.{t}, v31.{t}"), |a| a.vec_rrr(op, arr, V1, V17, V31));
        }
    }
    expect.one("smull v0.8h, v1.8b, v31.8b", |a| a.vec_rrr(VecOp::Smull, VArr::B8, V0, V1, V31));
    expect.one("smull2 v0.4s, v1.8h, v31.8h", |a| a.vec_rrr(VecOp::Smull, VArr::H8, V0, V1, V31));
    expect.one("umull v0.2d, v1.2s, v31.2s", |a| a.vec_rrr(VecOp::Umull, VArr::S2, V0, V1, V31));
    expect.one("umull2 v0.8h, v1.16b, v31.16b", |a| a.vec_rrr(VecOp::Umull, VArr::B16, V0, V1, V31));
    expect.check();
}

#[test]
fn two_register_and_across_lanes_operations() {
    let mut expect = Expect::new();
    let u = |e: &mut Expect, text: &str, op, arr| e.one(text, |a| a.vec_unary(op, arr, V31, V17));
    u(&mut expect, "cnt v31.16b, v17.16b", VecUnaryOp::Cnt, VArr::B16);
    u(&mut expect, "mvn v31.16b, v17.16b", VecUnaryOp::Not, VArr::B16);
    for (arr, t) in [(VArr::B16, "16b"), (VArr::H8, "8h"), (VArr::S4, "4s"), (VArr::D2, "2d")] {
        u(&mut expect, &format!("abs v31.{t}, v17.{t}"), VecUnaryOp::Abs, arr);
        u(&mut expect, &format!("neg v31.{t}, v17.{t}"), VecUnaryOp::Neg, arr);
        u(&mut expect, &format!("cmeq v31.{t}, v17.{t}, #0"), VecUnaryOp::CmeqZero, arr);
    }
    u(&mut expect, "saddlp v31.8h, v17.16b", VecUnaryOp::Saddlp, VArr::B16);
    u(&mut expect, "uaddlp v31.4s, v17.8h", VecUnaryOp::Uaddlp, VArr::H8);
    u(&mut expect, "xtn v31.8b, v17.8h", VecUnaryOp::Xtn, VArr::B8);
    u(&mut expect, "sqxtn v31.8b, v17.8h", VecUnaryOp::Sqxtn, VArr::B8);
    u(&mut expect, "sqxtn2 v31.16b, v17.8h", VecUnaryOp::Sqxtn, VArr::B16);
    u(&mut expect, "sqxtun2 v31.8h, v17.4s", VecUnaryOp::Sqxtun, VArr::H8);
    u(&mut expect, "uqxtn v31.2s, v17.2d", VecUnaryOp::Uqxtn, VArr::S2);
    for (arr, t) in [(VArr::S4, "4s"), (VArr::D2, "2d")] {
        let float = [
            (VecUnaryOp::Fabs, "fabs"),
            (VecUnaryOp::Fneg, "fneg"),
            (VecUnaryOp::Fsqrt, "fsqrt"),
            (VecUnaryOp::Frintn, "frintn"),
            (VecUnaryOp::Frintm, "frintm"),
            (VecUnaryOp::Frintp, "frintp"),
            (VecUnaryOp::Frintz, "frintz"),
            (VecUnaryOp::Fcvtzs, "fcvtzs"),
            (VecUnaryOp::Fcvtzu, "fcvtzu"),
            (VecUnaryOp::Scvtf, "scvtf"),
            (VecUnaryOp::Ucvtf, "ucvtf"),
        ];
        for (op, name) in float {
            u(&mut expect, &format!("{name} v31.{t}, v17.{t}"), op, arr);
        }
    }
    u(&mut expect, "fcvtn v31.2s, v17.2d", VecUnaryOp::Fcvtn, VArr::S2);
    u(&mut expect, "fcvtl v31.2d, v17.2s", VecUnaryOp::Fcvtl, VArr::S2);
    u(&mut expect, "addv b31, v17.16b", VecUnaryOp::Addv, VArr::B16);
    u(&mut expect, "addv h31, v17.8h", VecUnaryOp::Addv, VArr::H8);
    u(&mut expect, "addv s31, v17.4s", VecUnaryOp::Addv, VArr::S4);
    u(&mut expect, "umaxv b31, v17.16b", VecUnaryOp::Umaxv, VArr::B16);
    u(&mut expect, "uminv h31, v17.8h", VecUnaryOp::Uminv, VArr::H8);
    u(&mut expect, "uminv s31, v17.4s", VecUnaryOp::Uminv, VArr::S4);
    expect.one("addp d0, v31.2d", |a| a.addp_scalar(V0, V31));
    expect.check();
}

#[test]
fn shifts_lanes_and_permutes() {
    let mut expect = Expect::new();
    expect.one("shl v0.16b, v1.16b, #7", |a| a.vec_shift_imm(VecShiftOp::Shl, VArr::B16, V0, V1, 7));
    expect.one("sshr v0.8h, v1.8h, #15", |a| a.vec_shift_imm(VecShiftOp::Sshr, VArr::H8, V0, V1, 15));
    expect.one("ushr v0.2d, v1.2d, #63", |a| a.vec_shift_imm(VecShiftOp::Ushr, VArr::D2, V0, V1, 63));
    expect.one("sshr v0.4s, v1.4s, #1", |a| a.vec_shift_imm(VecShiftOp::Sshr, VArr::S4, V0, V1, 1));
    expect.one("sshll v0.8h, v1.8b, #0", |a| a.vec_shift_imm(VecShiftOp::Sshll, VArr::B8, V0, V1, 0));
    expect.one("ushll2 v0.2d, v1.4s, #0", |a| a.vec_shift_imm(VecShiftOp::Ushll, VArr::S4, V0, V1, 0));
    expect.one("dup v0.16b, w1", |a| a.dup_gpr(VArr::B16, V0, Gpr::X1));
    expect.one("dup v0.2d, x16", |a| a.dup_gpr(VArr::D2, V0, Gpr::X16));
    expect.one("dup v31.4s, v1.s[3]", |a| a.dup_lane(VArr::S4, V31, V1, 3));
    expect.one("mov s31, v1.s[2]", |a| a.mov_lane_to_scalar(VArr::S4, V31, V1, 2));
    expect.one("mov d31, v1.d[1]", |a| a.mov_lane_to_scalar(VArr::D2, V31, V1, 1));
    expect.one("mov v31.b[15], w3", |a| a.ins_gpr(VArr::B16, V31, 15, Gpr::X3));
    expect.one("mov v31.d[1], x3", |a| a.ins_gpr(VArr::D2, V31, 1, Gpr::X3));
    expect.one("mov v31.s[1], v17.s[0]", |a| a.ins_lane(VArr::S4, V31, 1, V17, 0));
    expect.one("umov w0, v1.b[15]", |a| a.umov(VArr::B16, Gpr::X0, V1, 15));
    expect.one("mov w0, v1.s[3]", |a| a.umov(VArr::S4, Gpr::X0, V1, 3));
    expect.one("mov x0, v1.d[1]", |a| a.umov(VArr::D2, Gpr::X0, V1, 1));
    expect.one("smov w0, v1.h[7]", |a| a.smov(VArr::H8, Gpr::X0, V1, 7));
    expect.one("tbl v0.16b, { v1.16b }, v31.16b", |a| a.tbl(V0, V1, V31));
    expect.one("ext v0.16b, v1.16b, v31.16b, #8", |a| a.ext(V0, V1, V31, 8));
    expect.one("movi v17.2d, #0000000000000000", |a| a.movi_zero(V17));
    expect.check();
    assert!(error(|a| a.vec_shift_imm(VecShiftOp::Shl, VArr::B16, V0, V1, 8)).contains("shift"));
    assert!(error(|a| a.umov(VArr::S4, Gpr::X0, V1, 4)).contains("lane 4"));
    assert!(error(|a| a.smov(VArr::S4, Gpr::X0, V1, 0)).contains("smov"));
}
