//! Vector (`v128`) operations of the IR.
//!
//! [`SimdOp`] is the operation of an `InstData::Simd` instruction: a target-independent
//! 128-bit vector operation with Wasm's SIMD semantics, its lane shape part of the
//! operation (`I8x16Add`, `F32x4Min`). The operations are Wasm's own (same names, same
//! operand and result types) minus the memory accesses, which the IR builds from scalar
//! loads and stores (see `translate/simd.rs`), plus `scalar_to_vector`, which those accesses
//! need. One table defines each operation's variant, text name and type, so the printer,
//! the parser and the verifier cannot disagree.
//!
//! Text form: `v3 = simd.i8x16.add v1, v2`; an immediate goes in brackets before the operands:
//! `v4 = simd.i16x8.extract_lane_s [3] v1`, `v5 = simd.i8x16.shuffle [0 17 2 … 31] v1, v2`.

use super::Type;
use std::fmt;

macro_rules! simd_ops {
    (
        plain { $( $name:ident $text:literal [$($arg:ident)*] $res:ident; )* }
        lane { $( $lname:ident $ltext:literal $lanes:literal [$($larg:ident)*] $lres:ident; )* }
    ) => {
        /// A vector operation. Pure: no memory access, no trap.
        #[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
        pub enum SimdOp {
            $( #[doc = concat!("`", $text, "`")] $name, )*
            $( #[doc = concat!("`", $ltext, "` of the lane given")] $lname(u8), )*
            /// `i8x16.shuffle`: result byte `i` is byte `lanes[i]` of the 32 bytes of the two
            /// operands (first operand's bytes 0-15, second's 16-31).
            I8x16Shuffle([u8; 16]),
        }

        impl SimdOp {
            /// Every operation, immediates zero.
            pub const ALL: &'static [SimdOp] = &[
                $( SimdOp::$name, )*
                $( SimdOp::$lname(0), )*
                SimdOp::I8x16Shuffle([0; 16]),
            ];

            /// The text name (Wasm's, for Wasm's operations).
            pub fn name(&self) -> &'static str {
                match self {
                    $( SimdOp::$name => $text, )*
                    $( SimdOp::$lname(_) => $ltext, )*
                    SimdOp::I8x16Shuffle(_) => "i8x16.shuffle",
                }
            }

            /// The operand types, in order.
            pub fn operand_types(&self) -> &'static [Type] {
                match self {
                    $( SimdOp::$name => &[$(Type::$arg),*], )*
                    $( SimdOp::$lname(_) => &[$(Type::$larg),*], )*
                    SimdOp::I8x16Shuffle(_) => &[Type::V128, Type::V128],
                }
            }

            /// The type of the one result.
            pub fn result_type(&self) -> Type {
                match self {
                    $( SimdOp::$name => Type::$res, )*
                    $( SimdOp::$lname(_) => Type::$lres, )*
                    SimdOp::I8x16Shuffle(_) => Type::V128,
                }
            }

            /// For a lane access: its lane index and the number of lanes of its shape.
            pub fn lane(&self) -> Option<(u8, u8)> {
                match self {
                    $( SimdOp::$lname(lane) => Some((*lane, $lanes)), )*
                    _ => None,
                }
            }

            /// The same operation with immediate `imm` (a lane index, or the 16 shuffle
            /// indices); `None` if the operation takes no such immediate or `imm` is out of
            /// range.
            pub fn with_immediate(self, imm: &[u8]) -> Option<SimdOp> {
                match (self, imm) {
                    $( (SimdOp::$lname(_), &[lane]) if lane < $lanes => Some(SimdOp::$lname(lane)), )*
                    (SimdOp::I8x16Shuffle(_), imm) if imm.len() == 16 && imm.iter().all(|&i| i < 32) => {
                        let mut lanes = [0; 16];
                        lanes.copy_from_slice(imm);
                        Some(SimdOp::I8x16Shuffle(lanes))
                    }
                    _ => None,
                }
            }
        }
    };
}

// Columns: variant, text name, [lane: number of lanes], operand types, result type.
simd_ops! {
    plain {
        I8x16Swizzle "i8x16.swizzle" [V128 V128] V128;
        I8x16Splat "i8x16.splat" [I32] V128;
        I16x8Splat "i16x8.splat" [I32] V128;
        I32x4Splat "i32x4.splat" [I32] V128;
        I64x2Splat "i64x2.splat" [I64] V128;
        F32x4Splat "f32x4.splat" [F32] V128;
        F64x2Splat "f64x2.splat" [F64] V128;
        I8x16Eq "i8x16.eq" [V128 V128] V128;
        I8x16Ne "i8x16.ne" [V128 V128] V128;
        I8x16LtS "i8x16.lt_s" [V128 V128] V128;
        I8x16LtU "i8x16.lt_u" [V128 V128] V128;
        I8x16GtS "i8x16.gt_s" [V128 V128] V128;
        I8x16GtU "i8x16.gt_u" [V128 V128] V128;
        I8x16LeS "i8x16.le_s" [V128 V128] V128;
        I8x16LeU "i8x16.le_u" [V128 V128] V128;
        I8x16GeS "i8x16.ge_s" [V128 V128] V128;
        I8x16GeU "i8x16.ge_u" [V128 V128] V128;
        I16x8Eq "i16x8.eq" [V128 V128] V128;
        I16x8Ne "i16x8.ne" [V128 V128] V128;
        I16x8LtS "i16x8.lt_s" [V128 V128] V128;
        I16x8LtU "i16x8.lt_u" [V128 V128] V128;
        I16x8GtS "i16x8.gt_s" [V128 V128] V128;
        I16x8GtU "i16x8.gt_u" [V128 V128] V128;
        I16x8LeS "i16x8.le_s" [V128 V128] V128;
        I16x8LeU "i16x8.le_u" [V128 V128] V128;
        I16x8GeS "i16x8.ge_s" [V128 V128] V128;
        I16x8GeU "i16x8.ge_u" [V128 V128] V128;
        I32x4Eq "i32x4.eq" [V128 V128] V128;
        I32x4Ne "i32x4.ne" [V128 V128] V128;
        I32x4LtS "i32x4.lt_s" [V128 V128] V128;
        I32x4LtU "i32x4.lt_u" [V128 V128] V128;
        I32x4GtS "i32x4.gt_s" [V128 V128] V128;
        I32x4GtU "i32x4.gt_u" [V128 V128] V128;
        I32x4LeS "i32x4.le_s" [V128 V128] V128;
        I32x4LeU "i32x4.le_u" [V128 V128] V128;
        I32x4GeS "i32x4.ge_s" [V128 V128] V128;
        I32x4GeU "i32x4.ge_u" [V128 V128] V128;
        F32x4Eq "f32x4.eq" [V128 V128] V128;
        F32x4Ne "f32x4.ne" [V128 V128] V128;
        F32x4Lt "f32x4.lt" [V128 V128] V128;
        F32x4Gt "f32x4.gt" [V128 V128] V128;
        F32x4Le "f32x4.le" [V128 V128] V128;
        F32x4Ge "f32x4.ge" [V128 V128] V128;
        F64x2Eq "f64x2.eq" [V128 V128] V128;
        F64x2Ne "f64x2.ne" [V128 V128] V128;
        F64x2Lt "f64x2.lt" [V128 V128] V128;
        F64x2Gt "f64x2.gt" [V128 V128] V128;
        F64x2Le "f64x2.le" [V128 V128] V128;
        F64x2Ge "f64x2.ge" [V128 V128] V128;
        V128Not "v128.not" [V128] V128;
        V128And "v128.and" [V128 V128] V128;
        V128Andnot "v128.andnot" [V128 V128] V128;
        V128Or "v128.or" [V128 V128] V128;
        V128Xor "v128.xor" [V128 V128] V128;
        V128Bitselect "v128.bitselect" [V128 V128 V128] V128;
        V128AnyTrue "v128.any_true" [V128] I32;
        F32x4DemoteF64x2Zero "f32x4.demote_f64x2_zero" [V128] V128;
        F64x2PromoteLowF32x4 "f64x2.promote_low_f32x4" [V128] V128;
        I8x16Abs "i8x16.abs" [V128] V128;
        I8x16Neg "i8x16.neg" [V128] V128;
        I8x16Popcnt "i8x16.popcnt" [V128] V128;
        I8x16AllTrue "i8x16.all_true" [V128] I32;
        I8x16Bitmask "i8x16.bitmask" [V128] I32;
        I8x16NarrowI16x8S "i8x16.narrow_i16x8_s" [V128 V128] V128;
        I8x16NarrowI16x8U "i8x16.narrow_i16x8_u" [V128 V128] V128;
        F32x4Ceil "f32x4.ceil" [V128] V128;
        F32x4Floor "f32x4.floor" [V128] V128;
        F32x4Trunc "f32x4.trunc" [V128] V128;
        F32x4Nearest "f32x4.nearest" [V128] V128;
        I8x16Shl "i8x16.shl" [V128 I32] V128;
        I8x16ShrS "i8x16.shr_s" [V128 I32] V128;
        I8x16ShrU "i8x16.shr_u" [V128 I32] V128;
        I8x16Add "i8x16.add" [V128 V128] V128;
        I8x16AddSatS "i8x16.add_sat_s" [V128 V128] V128;
        I8x16AddSatU "i8x16.add_sat_u" [V128 V128] V128;
        I8x16Sub "i8x16.sub" [V128 V128] V128;
        I8x16SubSatS "i8x16.sub_sat_s" [V128 V128] V128;
        I8x16SubSatU "i8x16.sub_sat_u" [V128 V128] V128;
        F64x2Ceil "f64x2.ceil" [V128] V128;
        F64x2Floor "f64x2.floor" [V128] V128;
        I8x16MinS "i8x16.min_s" [V128 V128] V128;
        I8x16MinU "i8x16.min_u" [V128 V128] V128;
        I8x16MaxS "i8x16.max_s" [V128 V128] V128;
        I8x16MaxU "i8x16.max_u" [V128 V128] V128;
        F64x2Trunc "f64x2.trunc" [V128] V128;
        I8x16AvgrU "i8x16.avgr_u" [V128 V128] V128;
        I16x8ExtaddPairwiseI8x16S "i16x8.extadd_pairwise_i8x16_s" [V128] V128;
        I16x8ExtaddPairwiseI8x16U "i16x8.extadd_pairwise_i8x16_u" [V128] V128;
        I32x4ExtaddPairwiseI16x8S "i32x4.extadd_pairwise_i16x8_s" [V128] V128;
        I32x4ExtaddPairwiseI16x8U "i32x4.extadd_pairwise_i16x8_u" [V128] V128;
        I16x8Abs "i16x8.abs" [V128] V128;
        I16x8Neg "i16x8.neg" [V128] V128;
        I16x8Q15mulrSatS "i16x8.q15mulr_sat_s" [V128 V128] V128;
        I16x8AllTrue "i16x8.all_true" [V128] I32;
        I16x8Bitmask "i16x8.bitmask" [V128] I32;
        I16x8NarrowI32x4S "i16x8.narrow_i32x4_s" [V128 V128] V128;
        I16x8NarrowI32x4U "i16x8.narrow_i32x4_u" [V128 V128] V128;
        I16x8ExtendLowI8x16S "i16x8.extend_low_i8x16_s" [V128] V128;
        I16x8ExtendHighI8x16S "i16x8.extend_high_i8x16_s" [V128] V128;
        I16x8ExtendLowI8x16U "i16x8.extend_low_i8x16_u" [V128] V128;
        I16x8ExtendHighI8x16U "i16x8.extend_high_i8x16_u" [V128] V128;
        I16x8Shl "i16x8.shl" [V128 I32] V128;
        I16x8ShrS "i16x8.shr_s" [V128 I32] V128;
        I16x8ShrU "i16x8.shr_u" [V128 I32] V128;
        I16x8Add "i16x8.add" [V128 V128] V128;
        I16x8AddSatS "i16x8.add_sat_s" [V128 V128] V128;
        I16x8AddSatU "i16x8.add_sat_u" [V128 V128] V128;
        I16x8Sub "i16x8.sub" [V128 V128] V128;
        I16x8SubSatS "i16x8.sub_sat_s" [V128 V128] V128;
        I16x8SubSatU "i16x8.sub_sat_u" [V128 V128] V128;
        F64x2Nearest "f64x2.nearest" [V128] V128;
        I16x8Mul "i16x8.mul" [V128 V128] V128;
        I16x8MinS "i16x8.min_s" [V128 V128] V128;
        I16x8MinU "i16x8.min_u" [V128 V128] V128;
        I16x8MaxS "i16x8.max_s" [V128 V128] V128;
        I16x8MaxU "i16x8.max_u" [V128 V128] V128;
        I16x8AvgrU "i16x8.avgr_u" [V128 V128] V128;
        I16x8ExtmulLowI8x16S "i16x8.extmul_low_i8x16_s" [V128 V128] V128;
        I16x8ExtmulHighI8x16S "i16x8.extmul_high_i8x16_s" [V128 V128] V128;
        I16x8ExtmulLowI8x16U "i16x8.extmul_low_i8x16_u" [V128 V128] V128;
        I16x8ExtmulHighI8x16U "i16x8.extmul_high_i8x16_u" [V128 V128] V128;
        I32x4Abs "i32x4.abs" [V128] V128;
        I32x4Neg "i32x4.neg" [V128] V128;
        I32x4AllTrue "i32x4.all_true" [V128] I32;
        I32x4Bitmask "i32x4.bitmask" [V128] I32;
        I32x4ExtendLowI16x8S "i32x4.extend_low_i16x8_s" [V128] V128;
        I32x4ExtendHighI16x8S "i32x4.extend_high_i16x8_s" [V128] V128;
        I32x4ExtendLowI16x8U "i32x4.extend_low_i16x8_u" [V128] V128;
        I32x4ExtendHighI16x8U "i32x4.extend_high_i16x8_u" [V128] V128;
        I32x4Shl "i32x4.shl" [V128 I32] V128;
        I32x4ShrS "i32x4.shr_s" [V128 I32] V128;
        I32x4ShrU "i32x4.shr_u" [V128 I32] V128;
        I32x4Add "i32x4.add" [V128 V128] V128;
        I32x4Sub "i32x4.sub" [V128 V128] V128;
        I32x4Mul "i32x4.mul" [V128 V128] V128;
        I32x4MinS "i32x4.min_s" [V128 V128] V128;
        I32x4MinU "i32x4.min_u" [V128 V128] V128;
        I32x4MaxS "i32x4.max_s" [V128 V128] V128;
        I32x4MaxU "i32x4.max_u" [V128 V128] V128;
        I32x4DotI16x8S "i32x4.dot_i16x8_s" [V128 V128] V128;
        I32x4ExtmulLowI16x8S "i32x4.extmul_low_i16x8_s" [V128 V128] V128;
        I32x4ExtmulHighI16x8S "i32x4.extmul_high_i16x8_s" [V128 V128] V128;
        I32x4ExtmulLowI16x8U "i32x4.extmul_low_i16x8_u" [V128 V128] V128;
        I32x4ExtmulHighI16x8U "i32x4.extmul_high_i16x8_u" [V128 V128] V128;
        I64x2Abs "i64x2.abs" [V128] V128;
        I64x2Neg "i64x2.neg" [V128] V128;
        I64x2AllTrue "i64x2.all_true" [V128] I32;
        I64x2Bitmask "i64x2.bitmask" [V128] I32;
        I64x2ExtendLowI32x4S "i64x2.extend_low_i32x4_s" [V128] V128;
        I64x2ExtendHighI32x4S "i64x2.extend_high_i32x4_s" [V128] V128;
        I64x2ExtendLowI32x4U "i64x2.extend_low_i32x4_u" [V128] V128;
        I64x2ExtendHighI32x4U "i64x2.extend_high_i32x4_u" [V128] V128;
        I64x2Shl "i64x2.shl" [V128 I32] V128;
        I64x2ShrS "i64x2.shr_s" [V128 I32] V128;
        I64x2ShrU "i64x2.shr_u" [V128 I32] V128;
        I64x2Add "i64x2.add" [V128 V128] V128;
        I64x2Sub "i64x2.sub" [V128 V128] V128;
        I64x2Mul "i64x2.mul" [V128 V128] V128;
        I64x2Eq "i64x2.eq" [V128 V128] V128;
        I64x2Ne "i64x2.ne" [V128 V128] V128;
        I64x2LtS "i64x2.lt_s" [V128 V128] V128;
        I64x2GtS "i64x2.gt_s" [V128 V128] V128;
        I64x2LeS "i64x2.le_s" [V128 V128] V128;
        I64x2GeS "i64x2.ge_s" [V128 V128] V128;
        I64x2ExtmulLowI32x4S "i64x2.extmul_low_i32x4_s" [V128 V128] V128;
        I64x2ExtmulHighI32x4S "i64x2.extmul_high_i32x4_s" [V128 V128] V128;
        I64x2ExtmulLowI32x4U "i64x2.extmul_low_i32x4_u" [V128 V128] V128;
        I64x2ExtmulHighI32x4U "i64x2.extmul_high_i32x4_u" [V128 V128] V128;
        F32x4Abs "f32x4.abs" [V128] V128;
        F32x4Neg "f32x4.neg" [V128] V128;
        F32x4Sqrt "f32x4.sqrt" [V128] V128;
        F32x4Add "f32x4.add" [V128 V128] V128;
        F32x4Sub "f32x4.sub" [V128 V128] V128;
        F32x4Mul "f32x4.mul" [V128 V128] V128;
        F32x4Div "f32x4.div" [V128 V128] V128;
        F32x4Min "f32x4.min" [V128 V128] V128;
        F32x4Max "f32x4.max" [V128 V128] V128;
        F32x4Pmin "f32x4.pmin" [V128 V128] V128;
        F32x4Pmax "f32x4.pmax" [V128 V128] V128;
        F64x2Abs "f64x2.abs" [V128] V128;
        F64x2Neg "f64x2.neg" [V128] V128;
        F64x2Sqrt "f64x2.sqrt" [V128] V128;
        F64x2Add "f64x2.add" [V128 V128] V128;
        F64x2Sub "f64x2.sub" [V128 V128] V128;
        F64x2Mul "f64x2.mul" [V128 V128] V128;
        F64x2Div "f64x2.div" [V128 V128] V128;
        F64x2Min "f64x2.min" [V128 V128] V128;
        F64x2Max "f64x2.max" [V128 V128] V128;
        F64x2Pmin "f64x2.pmin" [V128 V128] V128;
        F64x2Pmax "f64x2.pmax" [V128 V128] V128;
        I32x4TruncSatF32x4S "i32x4.trunc_sat_f32x4_s" [V128] V128;
        I32x4TruncSatF32x4U "i32x4.trunc_sat_f32x4_u" [V128] V128;
        F32x4ConvertI32x4S "f32x4.convert_i32x4_s" [V128] V128;
        F32x4ConvertI32x4U "f32x4.convert_i32x4_u" [V128] V128;
        I32x4TruncSatF64x2SZero "i32x4.trunc_sat_f64x2_s_zero" [V128] V128;
        I32x4TruncSatF64x2UZero "i32x4.trunc_sat_f64x2_u_zero" [V128] V128;
        F64x2ConvertLowI32x4S "f64x2.convert_low_i32x4_s" [V128] V128;
        F64x2ConvertLowI32x4U "f64x2.convert_low_i32x4_u" [V128] V128;
        I32x4ScalarToVector "i32x4.scalar_to_vector" [I32] V128;
        I64x2ScalarToVector "i64x2.scalar_to_vector" [I64] V128;
    }
    lane {
        I8x16ExtractLaneS "i8x16.extract_lane_s" 16 [V128] I32;
        I8x16ExtractLaneU "i8x16.extract_lane_u" 16 [V128] I32;
        I8x16ReplaceLane "i8x16.replace_lane" 16 [V128 I32] V128;
        I16x8ExtractLaneS "i16x8.extract_lane_s" 8 [V128] I32;
        I16x8ExtractLaneU "i16x8.extract_lane_u" 8 [V128] I32;
        I16x8ReplaceLane "i16x8.replace_lane" 8 [V128 I32] V128;
        I32x4ExtractLane "i32x4.extract_lane" 4 [V128] I32;
        I32x4ReplaceLane "i32x4.replace_lane" 4 [V128 I32] V128;
        I64x2ExtractLane "i64x2.extract_lane" 2 [V128] I64;
        I64x2ReplaceLane "i64x2.replace_lane" 2 [V128 I64] V128;
        F32x4ExtractLane "f32x4.extract_lane" 4 [V128] F32;
        F32x4ReplaceLane "f32x4.replace_lane" 4 [V128 F32] V128;
        F64x2ExtractLane "f64x2.extract_lane" 2 [V128] F64;
        F64x2ReplaceLane "f64x2.replace_lane" 2 [V128 F64] V128;
    }
}

impl SimdOp {
    /// The operation named `name` (immediates zero; see [`SimdOp::with_immediate`]).
    pub fn from_name(name: &str) -> Option<SimdOp> {
        SimdOp::ALL.iter().copied().find(|op| op.name() == name)
    }

    /// True if the text form carries a bracketed immediate.
    pub fn has_immediate(&self) -> bool {
        self.lane().is_some() || matches!(self, SimdOp::I8x16Shuffle(_))
    }

    /// True if every lane index is within the operation's range (always, for operations built
    /// by [`SimdOp::with_immediate`]; the fields are public, so the verifier checks).
    pub fn immediate_in_range(&self) -> bool {
        match self {
            SimdOp::I8x16Shuffle(lanes) => lanes.iter().all(|&i| i < 32),
            _ => self.lane().is_none_or(|(lane, lanes)| lane < lanes),
        }
    }
}

/// `simd.NAME`, then the immediate in brackets if there is one.
impl fmt::Display for SimdOp {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "simd.{}", self.name())?;
        match self {
            SimdOp::I8x16Shuffle(lanes) => {
                let text: Vec<String> = lanes.iter().map(u8::to_string).collect();
                write!(f, " [{}]", text.join(" "))
            }
            _ => match self.lane() {
                Some((lane, _)) => write!(f, " [{}]", lane),
                None => Ok(()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_find_their_operation() {
        for &op in SimdOp::ALL {
            assert_eq!(SimdOp::from_name(op.name()), Some(op), "{}", op.name());
        }
    }

    #[test]
    fn immediates_are_range_checked() {
        let extract = SimdOp::I16x8ExtractLaneS(0);
        assert_eq!(extract.with_immediate(&[7]), Some(SimdOp::I16x8ExtractLaneS(7)));
        assert_eq!(extract.with_immediate(&[8]), None);
        assert_eq!(extract.with_immediate(&[1, 2]), None);
        assert_eq!(SimdOp::I8x16Add.with_immediate(&[0]), None);
        let shuffle = SimdOp::I8x16Shuffle([0; 16]);
        assert!(shuffle.with_immediate(&[31; 16]).is_some());
        assert_eq!(shuffle.with_immediate(&[32; 16]), None);
        assert_eq!(shuffle.with_immediate(&[0; 15]), None);
        assert!(!SimdOp::I32x4ExtractLane(4).immediate_in_range());
    }

    #[test]
    fn display_shows_immediates_in_brackets() {
        assert_eq!(SimdOp::F32x4Min.to_string(), "simd.f32x4.min");
        assert_eq!(SimdOp::I64x2ReplaceLane(1).to_string(), "simd.i64x2.replace_lane [1]");
        let mut lanes = [0u8; 16];
        lanes[1] = 17;
        assert!(SimdOp::I8x16Shuffle(lanes).to_string().starts_with("simd.i8x16.shuffle [0 17 0 "));
    }

    #[test]
    fn types_follow_the_shape() {
        assert_eq!(SimdOp::I8x16Bitmask.result_type(), Type::I32);
        assert_eq!(SimdOp::F64x2ExtractLane(1).result_type(), Type::F64);
        assert_eq!(SimdOp::I64x2Splat.operand_types(), &[Type::I64]);
        assert_eq!(SimdOp::I32x4Shl.operand_types(), &[Type::V128, Type::I32]);
        assert_eq!(SimdOp::V128Bitselect.operand_types().len(), 3);
    }
}
