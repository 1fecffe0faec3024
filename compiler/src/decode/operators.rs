//! Every WebAssembly 2.0 instruction, as the [`Operator`] enum.
//!
//! The instructions whose immediates are only a memory argument and/or a lane index, and whose
//! type is fixed (most of the instruction set), are defined by one table at the end of this file:
//! opcode, variant, text name and type. From that table a macro generates the enum variants,
//! their decoding, [`Operator::name`] and [`Operator::fixed_signature`], so the encoding, the
//! name and the type of an instruction cannot disagree. The other instructions (control, variables,
//! constants, references, tables, bulk memory, `v128.const`, `i8x16.shuffle`) are written by hand
//! below, in the first half of the enum.

use super::reader::Reader;
use super::types::{BlockType, RefType, ValType};
use crate::error::Result;

/// The immediate of a load or store.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct MemArg {
    /// The log2 of the promised alignment.
    pub align: u32,
    /// The constant added to the dynamic address.
    pub offset: u64,
    /// The memory accessed (always 0 in Wasm 2.0).
    pub memory: u32,
}

/// Which opcode space an opcode belongs to: one byte, or a prefix byte and a LEB128 `u32`.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum OpcodePrefix {
    /// One-byte opcodes.
    Plain,
    /// `0xFC`: saturating truncation, bulk memory and table instructions.
    Misc,
    /// `0xFD`: fixed-width SIMD.
    Simd,
}

/// Reads a memory argument immediate.
pub(crate) fn read_memarg(reader: &mut Reader) -> Result<MemArg> {
    let align = reader.read_u32()?;
    let offset = u64::from(reader.read_u32()?);
    Ok(MemArg {
        align,
        offset,
        memory: 0,
    })
}

macro_rules! define_operators {
    (
        simple { $( $sp:ident $sc:literal $sname:ident $stext:literal [$($sarg:ident)*] [$($sres:ident)*]; )* }
        memory { $( $mp:ident $mc:literal $mname:ident $mtext:literal $malign:literal [$($marg:ident)*] [$($mres:ident)*]; )* }
        lane { $( $lp:ident $lc:literal $lname:ident $ltext:literal $llanes:literal [$($larg:ident)*] [$($lres:ident)*]; )* }
        memory_lane { $( $xp:ident $xc:literal $xname:ident $xtext:literal $xalign:literal $xlanes:literal [$($xarg:ident)*] [$($xres:ident)*]; )* }
    ) => {
        /// One instruction with its immediates. Indices are raw (not yet validated).
        #[derive(Clone, PartialEq, Debug)]
        pub enum Operator {
            // ---- Control ----
            Unreachable,
            Block { ty: BlockType },
            Loop { ty: BlockType },
            If { ty: BlockType },
            Else,
            End,
            /// Branch to the label `depth` levels out (0 = innermost).
            Br { depth: u32 },
            BrIf { depth: u32 },
            BrTable { targets: Vec<u32>, default: u32 },
            Return,
            Call { func: u32 },
            CallIndirect { type_index: u32, table: u32 },
            // ---- Parametric ----
            Drop,
            /// `select` without a type annotation: numeric and vector operands only.
            Select,
            /// `select t`: any operand type, including references.
            TypedSelect { ty: ValType },
            // ---- Variables ----
            LocalGet { index: u32 },
            LocalSet { index: u32 },
            LocalTee { index: u32 },
            GlobalGet { index: u32 },
            GlobalSet { index: u32 },
            // ---- Tables ----
            TableGet { table: u32 },
            TableSet { table: u32 },
            TableInit { elem: u32, table: u32 },
            ElemDrop { elem: u32 },
            TableCopy { dst_table: u32, src_table: u32 },
            TableGrow { table: u32 },
            TableSize { table: u32 },
            TableFill { table: u32 },
            // ---- Memory (besides loads and stores) ----
            MemorySize { memory: u32 },
            MemoryGrow { memory: u32 },
            MemoryInit { data: u32, memory: u32 },
            DataDrop { data: u32 },
            MemoryCopy { dst_memory: u32, src_memory: u32 },
            MemoryFill { memory: u32 },
            // ---- Constants ----
            I32Const { value: i32 },
            I64Const { value: i64 },
            /// The IEEE 754 bits, so that NaN payloads survive.
            F32Const { bits: u32 },
            F64Const { bits: u64 },
            /// Little-endian bytes, lane 0 first.
            V128Const { bytes: [u8; 16] },
            // ---- References ----
            RefNull { ty: RefType },
            RefIsNull,
            RefFunc { func: u32 },
            // ---- SIMD with a special immediate ----
            /// Each lane index selects one of the 32 bytes of the two operands.
            I8x16Shuffle { lanes: [u8; 16] },
            // ---- From the table: fixed type, no immediate ----
            $(
                #[doc = concat!("`", $stext, "`")]
                $sname,
            )*
            // ---- From the table: loads and stores ----
            $(
                #[doc = concat!("`", $mtext, "`")]
                $mname { memarg: MemArg },
            )*
            // ---- From the table: SIMD lane access ----
            $(
                #[doc = concat!("`", $ltext, "`")]
                $lname { lane: u8 },
            )*
            // ---- From the table: SIMD load or store of one lane ----
            $(
                #[doc = concat!("`", $xtext, "`")]
                $xname { memarg: MemArg, lane: u8 },
            )*
        }

        impl Operator {
            /// The instruction's name in the text format.
            pub fn name(&self) -> &'static str {
                match self {
                    $( Operator::$sname => $stext, )*
                    $( Operator::$mname { .. } => $mtext, )*
                    $( Operator::$lname { .. } => $ltext, )*
                    $( Operator::$xname { .. } => $xtext, )*
                    other => other.special_name(),
                }
            }

            /// The type `[params] -> [results]` of an instruction whose type does not depend on
            /// its immediates or context (every instruction of the table); `None` otherwise.
            pub fn fixed_signature(&self) -> Option<(&'static [ValType], &'static [ValType])> {
                Some(match self {
                    $( Operator::$sname => (&[$(ValType::$sarg),*], &[$(ValType::$sres),*]), )*
                    $( Operator::$mname { .. } => (&[$(ValType::$marg),*], &[$(ValType::$mres),*]), )*
                    $( Operator::$lname { .. } => (&[$(ValType::$larg),*], &[$(ValType::$lres),*]), )*
                    $( Operator::$xname { .. } => (&[$(ValType::$xarg),*], &[$(ValType::$xres),*]), )*
                    _ => return None,
                })
            }

            /// For a load or store: its memory argument and the log2 of its natural alignment
            /// (the largest alignment validation accepts).
            pub fn memarg(&self) -> Option<(MemArg, u32)> {
                match self {
                    $( Operator::$mname { memarg } => Some((*memarg, $malign)), )*
                    $( Operator::$xname { memarg, .. } => Some((*memarg, $xalign)), )*
                    _ => None,
                }
            }

            /// For a SIMD lane access: its lane index and the number of lanes of its shape.
            pub fn lane(&self) -> Option<(u8, u8)> {
                match self {
                    $( Operator::$lname { lane } => Some((*lane, $llanes)), )*
                    $( Operator::$xname { lane, .. } => Some((*lane, $xlanes)), )*
                    _ => None,
                }
            }

            /// Decodes the immediates of a table-defined instruction, or returns `None` if the
            /// opcode is not in the table.
            pub(crate) fn read_tabled(
                prefix: OpcodePrefix,
                code: u32,
                reader: &mut Reader,
            ) -> Result<Option<Operator>> {
                Ok(Some(match (prefix, code) {
                    $( (OpcodePrefix::$sp, $sc) => Operator::$sname, )*
                    $( (OpcodePrefix::$mp, $mc) => Operator::$mname { memarg: read_memarg(reader)? }, )*
                    $( (OpcodePrefix::$lp, $lc) => Operator::$lname { lane: reader.read_u8()? }, )*
                    $(
                        (OpcodePrefix::$xp, $xc) => {
                            let memarg = read_memarg(reader)?;
                            Operator::$xname { memarg, lane: reader.read_u8()? }
                        }
                    )*
                    _ => return Ok(None),
                }))
            }
        }
    };
}

impl Operator {
    /// Names of the hand-written variants.
    fn special_name(&self) -> &'static str {
        use Operator::*;
        match self {
            Unreachable => "unreachable",
            Block { .. } => "block",
            Loop { .. } => "loop",
            If { .. } => "if",
            Else => "else",
            End => "end",
            Br { .. } => "br",
            BrIf { .. } => "br_if",
            BrTable { .. } => "br_table",
            Return => "return",
            Call { .. } => "call",
            CallIndirect { .. } => "call_indirect",
            Drop => "drop",
            Select | TypedSelect { .. } => "select",
            LocalGet { .. } => "local.get",
            LocalSet { .. } => "local.set",
            LocalTee { .. } => "local.tee",
            GlobalGet { .. } => "global.get",
            GlobalSet { .. } => "global.set",
            TableGet { .. } => "table.get",
            TableSet { .. } => "table.set",
            TableInit { .. } => "table.init",
            ElemDrop { .. } => "elem.drop",
            TableCopy { .. } => "table.copy",
            TableGrow { .. } => "table.grow",
            TableSize { .. } => "table.size",
            TableFill { .. } => "table.fill",
            MemorySize { .. } => "memory.size",
            MemoryGrow { .. } => "memory.grow",
            MemoryInit { .. } => "memory.init",
            DataDrop { .. } => "data.drop",
            MemoryCopy { .. } => "memory.copy",
            MemoryFill { .. } => "memory.fill",
            I32Const { .. } => "i32.const",
            I64Const { .. } => "i64.const",
            F32Const { .. } => "f32.const",
            F64Const { .. } => "f64.const",
            V128Const { .. } => "v128.const",
            RefNull { .. } => "ref.null",
            RefIsNull => "ref.is_null",
            RefFunc { .. } => "ref.func",
            I8x16Shuffle { .. } => "i8x16.shuffle",
            // Table-defined variants are named by `name` itself.
            _ => "?",
        }
    }
}

// The table. Columns: opcode space, opcode, variant, text name, [memory: log2 natural
// alignment], [lane: number of lanes], parameter types, result types.
define_operators! {
    simple {
        Plain 0x01 Nop "nop" [] [];
        Plain 0x45 I32Eqz "i32.eqz" [I32] [I32];
        Plain 0x46 I32Eq "i32.eq" [I32 I32] [I32];
        Plain 0x47 I32Ne "i32.ne" [I32 I32] [I32];
        Plain 0x48 I32LtS "i32.lt_s" [I32 I32] [I32];
        Plain 0x49 I32LtU "i32.lt_u" [I32 I32] [I32];
        Plain 0x4A I32GtS "i32.gt_s" [I32 I32] [I32];
        Plain 0x4B I32GtU "i32.gt_u" [I32 I32] [I32];
        Plain 0x4C I32LeS "i32.le_s" [I32 I32] [I32];
        Plain 0x4D I32LeU "i32.le_u" [I32 I32] [I32];
        Plain 0x4E I32GeS "i32.ge_s" [I32 I32] [I32];
        Plain 0x4F I32GeU "i32.ge_u" [I32 I32] [I32];
        Plain 0x50 I64Eqz "i64.eqz" [I64] [I32];
        Plain 0x51 I64Eq "i64.eq" [I64 I64] [I32];
        Plain 0x52 I64Ne "i64.ne" [I64 I64] [I32];
        Plain 0x53 I64LtS "i64.lt_s" [I64 I64] [I32];
        Plain 0x54 I64LtU "i64.lt_u" [I64 I64] [I32];
        Plain 0x55 I64GtS "i64.gt_s" [I64 I64] [I32];
        Plain 0x56 I64GtU "i64.gt_u" [I64 I64] [I32];
        Plain 0x57 I64LeS "i64.le_s" [I64 I64] [I32];
        Plain 0x58 I64LeU "i64.le_u" [I64 I64] [I32];
        Plain 0x59 I64GeS "i64.ge_s" [I64 I64] [I32];
        Plain 0x5A I64GeU "i64.ge_u" [I64 I64] [I32];
        Plain 0x5B F32Eq "f32.eq" [F32 F32] [I32];
        Plain 0x5C F32Ne "f32.ne" [F32 F32] [I32];
        Plain 0x5D F32Lt "f32.lt" [F32 F32] [I32];
        Plain 0x5E F32Gt "f32.gt" [F32 F32] [I32];
        Plain 0x5F F32Le "f32.le" [F32 F32] [I32];
        Plain 0x60 F32Ge "f32.ge" [F32 F32] [I32];
        Plain 0x61 F64Eq "f64.eq" [F64 F64] [I32];
        Plain 0x62 F64Ne "f64.ne" [F64 F64] [I32];
        Plain 0x63 F64Lt "f64.lt" [F64 F64] [I32];
        Plain 0x64 F64Gt "f64.gt" [F64 F64] [I32];
        Plain 0x65 F64Le "f64.le" [F64 F64] [I32];
        Plain 0x66 F64Ge "f64.ge" [F64 F64] [I32];
        Plain 0x67 I32Clz "i32.clz" [I32] [I32];
        Plain 0x68 I32Ctz "i32.ctz" [I32] [I32];
        Plain 0x69 I32Popcnt "i32.popcnt" [I32] [I32];
        Plain 0x6A I32Add "i32.add" [I32 I32] [I32];
        Plain 0x6B I32Sub "i32.sub" [I32 I32] [I32];
        Plain 0x6C I32Mul "i32.mul" [I32 I32] [I32];
        Plain 0x6D I32DivS "i32.div_s" [I32 I32] [I32];
        Plain 0x6E I32DivU "i32.div_u" [I32 I32] [I32];
        Plain 0x6F I32RemS "i32.rem_s" [I32 I32] [I32];
        Plain 0x70 I32RemU "i32.rem_u" [I32 I32] [I32];
        Plain 0x71 I32And "i32.and" [I32 I32] [I32];
        Plain 0x72 I32Or "i32.or" [I32 I32] [I32];
        Plain 0x73 I32Xor "i32.xor" [I32 I32] [I32];
        Plain 0x74 I32Shl "i32.shl" [I32 I32] [I32];
        Plain 0x75 I32ShrS "i32.shr_s" [I32 I32] [I32];
        Plain 0x76 I32ShrU "i32.shr_u" [I32 I32] [I32];
        Plain 0x77 I32Rotl "i32.rotl" [I32 I32] [I32];
        Plain 0x78 I32Rotr "i32.rotr" [I32 I32] [I32];
        Plain 0x79 I64Clz "i64.clz" [I64] [I64];
        Plain 0x7A I64Ctz "i64.ctz" [I64] [I64];
        Plain 0x7B I64Popcnt "i64.popcnt" [I64] [I64];
        Plain 0x7C I64Add "i64.add" [I64 I64] [I64];
        Plain 0x7D I64Sub "i64.sub" [I64 I64] [I64];
        Plain 0x7E I64Mul "i64.mul" [I64 I64] [I64];
        Plain 0x7F I64DivS "i64.div_s" [I64 I64] [I64];
        Plain 0x80 I64DivU "i64.div_u" [I64 I64] [I64];
        Plain 0x81 I64RemS "i64.rem_s" [I64 I64] [I64];
        Plain 0x82 I64RemU "i64.rem_u" [I64 I64] [I64];
        Plain 0x83 I64And "i64.and" [I64 I64] [I64];
        Plain 0x84 I64Or "i64.or" [I64 I64] [I64];
        Plain 0x85 I64Xor "i64.xor" [I64 I64] [I64];
        Plain 0x86 I64Shl "i64.shl" [I64 I64] [I64];
        Plain 0x87 I64ShrS "i64.shr_s" [I64 I64] [I64];
        Plain 0x88 I64ShrU "i64.shr_u" [I64 I64] [I64];
        Plain 0x89 I64Rotl "i64.rotl" [I64 I64] [I64];
        Plain 0x8A I64Rotr "i64.rotr" [I64 I64] [I64];
        Plain 0x8B F32Abs "f32.abs" [F32] [F32];
        Plain 0x8C F32Neg "f32.neg" [F32] [F32];
        Plain 0x8D F32Ceil "f32.ceil" [F32] [F32];
        Plain 0x8E F32Floor "f32.floor" [F32] [F32];
        Plain 0x8F F32Trunc "f32.trunc" [F32] [F32];
        Plain 0x90 F32Nearest "f32.nearest" [F32] [F32];
        Plain 0x91 F32Sqrt "f32.sqrt" [F32] [F32];
        Plain 0x92 F32Add "f32.add" [F32 F32] [F32];
        Plain 0x93 F32Sub "f32.sub" [F32 F32] [F32];
        Plain 0x94 F32Mul "f32.mul" [F32 F32] [F32];
        Plain 0x95 F32Div "f32.div" [F32 F32] [F32];
        Plain 0x96 F32Min "f32.min" [F32 F32] [F32];
        Plain 0x97 F32Max "f32.max" [F32 F32] [F32];
        Plain 0x98 F32Copysign "f32.copysign" [F32 F32] [F32];
        Plain 0x99 F64Abs "f64.abs" [F64] [F64];
        Plain 0x9A F64Neg "f64.neg" [F64] [F64];
        Plain 0x9B F64Ceil "f64.ceil" [F64] [F64];
        Plain 0x9C F64Floor "f64.floor" [F64] [F64];
        Plain 0x9D F64Trunc "f64.trunc" [F64] [F64];
        Plain 0x9E F64Nearest "f64.nearest" [F64] [F64];
        Plain 0x9F F64Sqrt "f64.sqrt" [F64] [F64];
        Plain 0xA0 F64Add "f64.add" [F64 F64] [F64];
        Plain 0xA1 F64Sub "f64.sub" [F64 F64] [F64];
        Plain 0xA2 F64Mul "f64.mul" [F64 F64] [F64];
        Plain 0xA3 F64Div "f64.div" [F64 F64] [F64];
        Plain 0xA4 F64Min "f64.min" [F64 F64] [F64];
        Plain 0xA5 F64Max "f64.max" [F64 F64] [F64];
        Plain 0xA6 F64Copysign "f64.copysign" [F64 F64] [F64];
        Plain 0xA7 I32WrapI64 "i32.wrap_i64" [I64] [I32];
        Plain 0xA8 I32TruncF32S "i32.trunc_f32_s" [F32] [I32];
        Plain 0xA9 I32TruncF32U "i32.trunc_f32_u" [F32] [I32];
        Plain 0xAA I32TruncF64S "i32.trunc_f64_s" [F64] [I32];
        Plain 0xAB I32TruncF64U "i32.trunc_f64_u" [F64] [I32];
        Plain 0xAC I64ExtendI32S "i64.extend_i32_s" [I32] [I64];
        Plain 0xAD I64ExtendI32U "i64.extend_i32_u" [I32] [I64];
        Plain 0xAE I64TruncF32S "i64.trunc_f32_s" [F32] [I64];
        Plain 0xAF I64TruncF32U "i64.trunc_f32_u" [F32] [I64];
        Plain 0xB0 I64TruncF64S "i64.trunc_f64_s" [F64] [I64];
        Plain 0xB1 I64TruncF64U "i64.trunc_f64_u" [F64] [I64];
        Plain 0xB2 F32ConvertI32S "f32.convert_i32_s" [I32] [F32];
        Plain 0xB3 F32ConvertI32U "f32.convert_i32_u" [I32] [F32];
        Plain 0xB4 F32ConvertI64S "f32.convert_i64_s" [I64] [F32];
        Plain 0xB5 F32ConvertI64U "f32.convert_i64_u" [I64] [F32];
        Plain 0xB6 F32DemoteF64 "f32.demote_f64" [F64] [F32];
        Plain 0xB7 F64ConvertI32S "f64.convert_i32_s" [I32] [F64];
        Plain 0xB8 F64ConvertI32U "f64.convert_i32_u" [I32] [F64];
        Plain 0xB9 F64ConvertI64S "f64.convert_i64_s" [I64] [F64];
        Plain 0xBA F64ConvertI64U "f64.convert_i64_u" [I64] [F64];
        Plain 0xBB F64PromoteF32 "f64.promote_f32" [F32] [F64];
        Plain 0xBC I32ReinterpretF32 "i32.reinterpret_f32" [F32] [I32];
        Plain 0xBD I64ReinterpretF64 "i64.reinterpret_f64" [F64] [I64];
        Plain 0xBE F32ReinterpretI32 "f32.reinterpret_i32" [I32] [F32];
        Plain 0xBF F64ReinterpretI64 "f64.reinterpret_i64" [I64] [F64];
        Plain 0xC0 I32Extend8S "i32.extend8_s" [I32] [I32];
        Plain 0xC1 I32Extend16S "i32.extend16_s" [I32] [I32];
        Plain 0xC2 I64Extend8S "i64.extend8_s" [I64] [I64];
        Plain 0xC3 I64Extend16S "i64.extend16_s" [I64] [I64];
        Plain 0xC4 I64Extend32S "i64.extend32_s" [I64] [I64];
        Misc 0x00 I32TruncSatF32S "i32.trunc_sat_f32_s" [F32] [I32];
        Misc 0x01 I32TruncSatF32U "i32.trunc_sat_f32_u" [F32] [I32];
        Misc 0x02 I32TruncSatF64S "i32.trunc_sat_f64_s" [F64] [I32];
        Misc 0x03 I32TruncSatF64U "i32.trunc_sat_f64_u" [F64] [I32];
        Misc 0x04 I64TruncSatF32S "i64.trunc_sat_f32_s" [F32] [I64];
        Misc 0x05 I64TruncSatF32U "i64.trunc_sat_f32_u" [F32] [I64];
        Misc 0x06 I64TruncSatF64S "i64.trunc_sat_f64_s" [F64] [I64];
        Misc 0x07 I64TruncSatF64U "i64.trunc_sat_f64_u" [F64] [I64];
        Simd 14 I8x16Swizzle "i8x16.swizzle" [V128 V128] [V128];
        Simd 15 I8x16Splat "i8x16.splat" [I32] [V128];
        Simd 16 I16x8Splat "i16x8.splat" [I32] [V128];
        Simd 17 I32x4Splat "i32x4.splat" [I32] [V128];
        Simd 18 I64x2Splat "i64x2.splat" [I64] [V128];
        Simd 19 F32x4Splat "f32x4.splat" [F32] [V128];
        Simd 20 F64x2Splat "f64x2.splat" [F64] [V128];
        Simd 35 I8x16Eq "i8x16.eq" [V128 V128] [V128];
        Simd 36 I8x16Ne "i8x16.ne" [V128 V128] [V128];
        Simd 37 I8x16LtS "i8x16.lt_s" [V128 V128] [V128];
        Simd 38 I8x16LtU "i8x16.lt_u" [V128 V128] [V128];
        Simd 39 I8x16GtS "i8x16.gt_s" [V128 V128] [V128];
        Simd 40 I8x16GtU "i8x16.gt_u" [V128 V128] [V128];
        Simd 41 I8x16LeS "i8x16.le_s" [V128 V128] [V128];
        Simd 42 I8x16LeU "i8x16.le_u" [V128 V128] [V128];
        Simd 43 I8x16GeS "i8x16.ge_s" [V128 V128] [V128];
        Simd 44 I8x16GeU "i8x16.ge_u" [V128 V128] [V128];
        Simd 45 I16x8Eq "i16x8.eq" [V128 V128] [V128];
        Simd 46 I16x8Ne "i16x8.ne" [V128 V128] [V128];
        Simd 47 I16x8LtS "i16x8.lt_s" [V128 V128] [V128];
        Simd 48 I16x8LtU "i16x8.lt_u" [V128 V128] [V128];
        Simd 49 I16x8GtS "i16x8.gt_s" [V128 V128] [V128];
        Simd 50 I16x8GtU "i16x8.gt_u" [V128 V128] [V128];
        Simd 51 I16x8LeS "i16x8.le_s" [V128 V128] [V128];
        Simd 52 I16x8LeU "i16x8.le_u" [V128 V128] [V128];
        Simd 53 I16x8GeS "i16x8.ge_s" [V128 V128] [V128];
        Simd 54 I16x8GeU "i16x8.ge_u" [V128 V128] [V128];
        Simd 55 I32x4Eq "i32x4.eq" [V128 V128] [V128];
        Simd 56 I32x4Ne "i32x4.ne" [V128 V128] [V128];
        Simd 57 I32x4LtS "i32x4.lt_s" [V128 V128] [V128];
        Simd 58 I32x4LtU "i32x4.lt_u" [V128 V128] [V128];
        Simd 59 I32x4GtS "i32x4.gt_s" [V128 V128] [V128];
        Simd 60 I32x4GtU "i32x4.gt_u" [V128 V128] [V128];
        Simd 61 I32x4LeS "i32x4.le_s" [V128 V128] [V128];
        Simd 62 I32x4LeU "i32x4.le_u" [V128 V128] [V128];
        Simd 63 I32x4GeS "i32x4.ge_s" [V128 V128] [V128];
        Simd 64 I32x4GeU "i32x4.ge_u" [V128 V128] [V128];
        Simd 65 F32x4Eq "f32x4.eq" [V128 V128] [V128];
        Simd 66 F32x4Ne "f32x4.ne" [V128 V128] [V128];
        Simd 67 F32x4Lt "f32x4.lt" [V128 V128] [V128];
        Simd 68 F32x4Gt "f32x4.gt" [V128 V128] [V128];
        Simd 69 F32x4Le "f32x4.le" [V128 V128] [V128];
        Simd 70 F32x4Ge "f32x4.ge" [V128 V128] [V128];
        Simd 71 F64x2Eq "f64x2.eq" [V128 V128] [V128];
        Simd 72 F64x2Ne "f64x2.ne" [V128 V128] [V128];
        Simd 73 F64x2Lt "f64x2.lt" [V128 V128] [V128];
        Simd 74 F64x2Gt "f64x2.gt" [V128 V128] [V128];
        Simd 75 F64x2Le "f64x2.le" [V128 V128] [V128];
        Simd 76 F64x2Ge "f64x2.ge" [V128 V128] [V128];
        Simd 77 V128Not "v128.not" [V128] [V128];
        Simd 78 V128And "v128.and" [V128 V128] [V128];
        Simd 79 V128Andnot "v128.andnot" [V128 V128] [V128];
        Simd 80 V128Or "v128.or" [V128 V128] [V128];
        Simd 81 V128Xor "v128.xor" [V128 V128] [V128];
        Simd 82 V128Bitselect "v128.bitselect" [V128 V128 V128] [V128];
        Simd 83 V128AnyTrue "v128.any_true" [V128] [I32];
        Simd 94 F32x4DemoteF64x2Zero "f32x4.demote_f64x2_zero" [V128] [V128];
        Simd 95 F64x2PromoteLowF32x4 "f64x2.promote_low_f32x4" [V128] [V128];
        Simd 96 I8x16Abs "i8x16.abs" [V128] [V128];
        Simd 97 I8x16Neg "i8x16.neg" [V128] [V128];
        Simd 98 I8x16Popcnt "i8x16.popcnt" [V128] [V128];
        Simd 99 I8x16AllTrue "i8x16.all_true" [V128] [I32];
        Simd 100 I8x16Bitmask "i8x16.bitmask" [V128] [I32];
        Simd 101 I8x16NarrowI16x8S "i8x16.narrow_i16x8_s" [V128 V128] [V128];
        Simd 102 I8x16NarrowI16x8U "i8x16.narrow_i16x8_u" [V128 V128] [V128];
        Simd 103 F32x4Ceil "f32x4.ceil" [V128] [V128];
        Simd 104 F32x4Floor "f32x4.floor" [V128] [V128];
        Simd 105 F32x4Trunc "f32x4.trunc" [V128] [V128];
        Simd 106 F32x4Nearest "f32x4.nearest" [V128] [V128];
        Simd 107 I8x16Shl "i8x16.shl" [V128 I32] [V128];
        Simd 108 I8x16ShrS "i8x16.shr_s" [V128 I32] [V128];
        Simd 109 I8x16ShrU "i8x16.shr_u" [V128 I32] [V128];
        Simd 110 I8x16Add "i8x16.add" [V128 V128] [V128];
        Simd 111 I8x16AddSatS "i8x16.add_sat_s" [V128 V128] [V128];
        Simd 112 I8x16AddSatU "i8x16.add_sat_u" [V128 V128] [V128];
        Simd 113 I8x16Sub "i8x16.sub" [V128 V128] [V128];
        Simd 114 I8x16SubSatS "i8x16.sub_sat_s" [V128 V128] [V128];
        Simd 115 I8x16SubSatU "i8x16.sub_sat_u" [V128 V128] [V128];
        Simd 116 F64x2Ceil "f64x2.ceil" [V128] [V128];
        Simd 117 F64x2Floor "f64x2.floor" [V128] [V128];
        Simd 118 I8x16MinS "i8x16.min_s" [V128 V128] [V128];
        Simd 119 I8x16MinU "i8x16.min_u" [V128 V128] [V128];
        Simd 120 I8x16MaxS "i8x16.max_s" [V128 V128] [V128];
        Simd 121 I8x16MaxU "i8x16.max_u" [V128 V128] [V128];
        Simd 122 F64x2Trunc "f64x2.trunc" [V128] [V128];
        Simd 123 I8x16AvgrU "i8x16.avgr_u" [V128 V128] [V128];
        Simd 124 I16x8ExtaddPairwiseI8x16S "i16x8.extadd_pairwise_i8x16_s" [V128] [V128];
        Simd 125 I16x8ExtaddPairwiseI8x16U "i16x8.extadd_pairwise_i8x16_u" [V128] [V128];
        Simd 126 I32x4ExtaddPairwiseI16x8S "i32x4.extadd_pairwise_i16x8_s" [V128] [V128];
        Simd 127 I32x4ExtaddPairwiseI16x8U "i32x4.extadd_pairwise_i16x8_u" [V128] [V128];
        Simd 128 I16x8Abs "i16x8.abs" [V128] [V128];
        Simd 129 I16x8Neg "i16x8.neg" [V128] [V128];
        Simd 130 I16x8Q15mulrSatS "i16x8.q15mulr_sat_s" [V128 V128] [V128];
        Simd 131 I16x8AllTrue "i16x8.all_true" [V128] [I32];
        Simd 132 I16x8Bitmask "i16x8.bitmask" [V128] [I32];
        Simd 133 I16x8NarrowI32x4S "i16x8.narrow_i32x4_s" [V128 V128] [V128];
        Simd 134 I16x8NarrowI32x4U "i16x8.narrow_i32x4_u" [V128 V128] [V128];
        Simd 135 I16x8ExtendLowI8x16S "i16x8.extend_low_i8x16_s" [V128] [V128];
        Simd 136 I16x8ExtendHighI8x16S "i16x8.extend_high_i8x16_s" [V128] [V128];
        Simd 137 I16x8ExtendLowI8x16U "i16x8.extend_low_i8x16_u" [V128] [V128];
        Simd 138 I16x8ExtendHighI8x16U "i16x8.extend_high_i8x16_u" [V128] [V128];
        Simd 139 I16x8Shl "i16x8.shl" [V128 I32] [V128];
        Simd 140 I16x8ShrS "i16x8.shr_s" [V128 I32] [V128];
        Simd 141 I16x8ShrU "i16x8.shr_u" [V128 I32] [V128];
        Simd 142 I16x8Add "i16x8.add" [V128 V128] [V128];
        Simd 143 I16x8AddSatS "i16x8.add_sat_s" [V128 V128] [V128];
        Simd 144 I16x8AddSatU "i16x8.add_sat_u" [V128 V128] [V128];
        Simd 145 I16x8Sub "i16x8.sub" [V128 V128] [V128];
        Simd 146 I16x8SubSatS "i16x8.sub_sat_s" [V128 V128] [V128];
        Simd 147 I16x8SubSatU "i16x8.sub_sat_u" [V128 V128] [V128];
        Simd 148 F64x2Nearest "f64x2.nearest" [V128] [V128];
        Simd 149 I16x8Mul "i16x8.mul" [V128 V128] [V128];
        Simd 150 I16x8MinS "i16x8.min_s" [V128 V128] [V128];
        Simd 151 I16x8MinU "i16x8.min_u" [V128 V128] [V128];
        Simd 152 I16x8MaxS "i16x8.max_s" [V128 V128] [V128];
        Simd 153 I16x8MaxU "i16x8.max_u" [V128 V128] [V128];
        Simd 155 I16x8AvgrU "i16x8.avgr_u" [V128 V128] [V128];
        Simd 156 I16x8ExtmulLowI8x16S "i16x8.extmul_low_i8x16_s" [V128 V128] [V128];
        Simd 157 I16x8ExtmulHighI8x16S "i16x8.extmul_high_i8x16_s" [V128 V128] [V128];
        Simd 158 I16x8ExtmulLowI8x16U "i16x8.extmul_low_i8x16_u" [V128 V128] [V128];
        Simd 159 I16x8ExtmulHighI8x16U "i16x8.extmul_high_i8x16_u" [V128 V128] [V128];
        Simd 160 I32x4Abs "i32x4.abs" [V128] [V128];
        Simd 161 I32x4Neg "i32x4.neg" [V128] [V128];
        Simd 163 I32x4AllTrue "i32x4.all_true" [V128] [I32];
        Simd 164 I32x4Bitmask "i32x4.bitmask" [V128] [I32];
        Simd 167 I32x4ExtendLowI16x8S "i32x4.extend_low_i16x8_s" [V128] [V128];
        Simd 168 I32x4ExtendHighI16x8S "i32x4.extend_high_i16x8_s" [V128] [V128];
        Simd 169 I32x4ExtendLowI16x8U "i32x4.extend_low_i16x8_u" [V128] [V128];
        Simd 170 I32x4ExtendHighI16x8U "i32x4.extend_high_i16x8_u" [V128] [V128];
        Simd 171 I32x4Shl "i32x4.shl" [V128 I32] [V128];
        Simd 172 I32x4ShrS "i32x4.shr_s" [V128 I32] [V128];
        Simd 173 I32x4ShrU "i32x4.shr_u" [V128 I32] [V128];
        Simd 174 I32x4Add "i32x4.add" [V128 V128] [V128];
        Simd 177 I32x4Sub "i32x4.sub" [V128 V128] [V128];
        Simd 181 I32x4Mul "i32x4.mul" [V128 V128] [V128];
        Simd 182 I32x4MinS "i32x4.min_s" [V128 V128] [V128];
        Simd 183 I32x4MinU "i32x4.min_u" [V128 V128] [V128];
        Simd 184 I32x4MaxS "i32x4.max_s" [V128 V128] [V128];
        Simd 185 I32x4MaxU "i32x4.max_u" [V128 V128] [V128];
        Simd 186 I32x4DotI16x8S "i32x4.dot_i16x8_s" [V128 V128] [V128];
        Simd 188 I32x4ExtmulLowI16x8S "i32x4.extmul_low_i16x8_s" [V128 V128] [V128];
        Simd 189 I32x4ExtmulHighI16x8S "i32x4.extmul_high_i16x8_s" [V128 V128] [V128];
        Simd 190 I32x4ExtmulLowI16x8U "i32x4.extmul_low_i16x8_u" [V128 V128] [V128];
        Simd 191 I32x4ExtmulHighI16x8U "i32x4.extmul_high_i16x8_u" [V128 V128] [V128];
        Simd 192 I64x2Abs "i64x2.abs" [V128] [V128];
        Simd 193 I64x2Neg "i64x2.neg" [V128] [V128];
        Simd 195 I64x2AllTrue "i64x2.all_true" [V128] [I32];
        Simd 196 I64x2Bitmask "i64x2.bitmask" [V128] [I32];
        Simd 199 I64x2ExtendLowI32x4S "i64x2.extend_low_i32x4_s" [V128] [V128];
        Simd 200 I64x2ExtendHighI32x4S "i64x2.extend_high_i32x4_s" [V128] [V128];
        Simd 201 I64x2ExtendLowI32x4U "i64x2.extend_low_i32x4_u" [V128] [V128];
        Simd 202 I64x2ExtendHighI32x4U "i64x2.extend_high_i32x4_u" [V128] [V128];
        Simd 203 I64x2Shl "i64x2.shl" [V128 I32] [V128];
        Simd 204 I64x2ShrS "i64x2.shr_s" [V128 I32] [V128];
        Simd 205 I64x2ShrU "i64x2.shr_u" [V128 I32] [V128];
        Simd 206 I64x2Add "i64x2.add" [V128 V128] [V128];
        Simd 209 I64x2Sub "i64x2.sub" [V128 V128] [V128];
        Simd 213 I64x2Mul "i64x2.mul" [V128 V128] [V128];
        Simd 214 I64x2Eq "i64x2.eq" [V128 V128] [V128];
        Simd 215 I64x2Ne "i64x2.ne" [V128 V128] [V128];
        Simd 216 I64x2LtS "i64x2.lt_s" [V128 V128] [V128];
        Simd 217 I64x2GtS "i64x2.gt_s" [V128 V128] [V128];
        Simd 218 I64x2LeS "i64x2.le_s" [V128 V128] [V128];
        Simd 219 I64x2GeS "i64x2.ge_s" [V128 V128] [V128];
        Simd 220 I64x2ExtmulLowI32x4S "i64x2.extmul_low_i32x4_s" [V128 V128] [V128];
        Simd 221 I64x2ExtmulHighI32x4S "i64x2.extmul_high_i32x4_s" [V128 V128] [V128];
        Simd 222 I64x2ExtmulLowI32x4U "i64x2.extmul_low_i32x4_u" [V128 V128] [V128];
        Simd 223 I64x2ExtmulHighI32x4U "i64x2.extmul_high_i32x4_u" [V128 V128] [V128];
        Simd 224 F32x4Abs "f32x4.abs" [V128] [V128];
        Simd 225 F32x4Neg "f32x4.neg" [V128] [V128];
        Simd 227 F32x4Sqrt "f32x4.sqrt" [V128] [V128];
        Simd 228 F32x4Add "f32x4.add" [V128 V128] [V128];
        Simd 229 F32x4Sub "f32x4.sub" [V128 V128] [V128];
        Simd 230 F32x4Mul "f32x4.mul" [V128 V128] [V128];
        Simd 231 F32x4Div "f32x4.div" [V128 V128] [V128];
        Simd 232 F32x4Min "f32x4.min" [V128 V128] [V128];
        Simd 233 F32x4Max "f32x4.max" [V128 V128] [V128];
        Simd 234 F32x4Pmin "f32x4.pmin" [V128 V128] [V128];
        Simd 235 F32x4Pmax "f32x4.pmax" [V128 V128] [V128];
        Simd 236 F64x2Abs "f64x2.abs" [V128] [V128];
        Simd 237 F64x2Neg "f64x2.neg" [V128] [V128];
        Simd 239 F64x2Sqrt "f64x2.sqrt" [V128] [V128];
        Simd 240 F64x2Add "f64x2.add" [V128 V128] [V128];
        Simd 241 F64x2Sub "f64x2.sub" [V128 V128] [V128];
        Simd 242 F64x2Mul "f64x2.mul" [V128 V128] [V128];
        Simd 243 F64x2Div "f64x2.div" [V128 V128] [V128];
        Simd 244 F64x2Min "f64x2.min" [V128 V128] [V128];
        Simd 245 F64x2Max "f64x2.max" [V128 V128] [V128];
        Simd 246 F64x2Pmin "f64x2.pmin" [V128 V128] [V128];
        Simd 247 F64x2Pmax "f64x2.pmax" [V128 V128] [V128];
        Simd 248 I32x4TruncSatF32x4S "i32x4.trunc_sat_f32x4_s" [V128] [V128];
        Simd 249 I32x4TruncSatF32x4U "i32x4.trunc_sat_f32x4_u" [V128] [V128];
        Simd 250 F32x4ConvertI32x4S "f32x4.convert_i32x4_s" [V128] [V128];
        Simd 251 F32x4ConvertI32x4U "f32x4.convert_i32x4_u" [V128] [V128];
        Simd 252 I32x4TruncSatF64x2SZero "i32x4.trunc_sat_f64x2_s_zero" [V128] [V128];
        Simd 253 I32x4TruncSatF64x2UZero "i32x4.trunc_sat_f64x2_u_zero" [V128] [V128];
        Simd 254 F64x2ConvertLowI32x4S "f64x2.convert_low_i32x4_s" [V128] [V128];
        Simd 255 F64x2ConvertLowI32x4U "f64x2.convert_low_i32x4_u" [V128] [V128];
    }
    memory {
        Plain 0x28 I32Load "i32.load" 2 [I32] [I32];
        Plain 0x29 I64Load "i64.load" 3 [I32] [I64];
        Plain 0x2A F32Load "f32.load" 2 [I32] [F32];
        Plain 0x2B F64Load "f64.load" 3 [I32] [F64];
        Plain 0x2C I32Load8S "i32.load8_s" 0 [I32] [I32];
        Plain 0x2D I32Load8U "i32.load8_u" 0 [I32] [I32];
        Plain 0x2E I32Load16S "i32.load16_s" 1 [I32] [I32];
        Plain 0x2F I32Load16U "i32.load16_u" 1 [I32] [I32];
        Plain 0x30 I64Load8S "i64.load8_s" 0 [I32] [I64];
        Plain 0x31 I64Load8U "i64.load8_u" 0 [I32] [I64];
        Plain 0x32 I64Load16S "i64.load16_s" 1 [I32] [I64];
        Plain 0x33 I64Load16U "i64.load16_u" 1 [I32] [I64];
        Plain 0x34 I64Load32S "i64.load32_s" 2 [I32] [I64];
        Plain 0x35 I64Load32U "i64.load32_u" 2 [I32] [I64];
        Plain 0x36 I32Store "i32.store" 2 [I32 I32] [];
        Plain 0x37 I64Store "i64.store" 3 [I32 I64] [];
        Plain 0x38 F32Store "f32.store" 2 [I32 F32] [];
        Plain 0x39 F64Store "f64.store" 3 [I32 F64] [];
        Plain 0x3A I32Store8 "i32.store8" 0 [I32 I32] [];
        Plain 0x3B I32Store16 "i32.store16" 1 [I32 I32] [];
        Plain 0x3C I64Store8 "i64.store8" 0 [I32 I64] [];
        Plain 0x3D I64Store16 "i64.store16" 1 [I32 I64] [];
        Plain 0x3E I64Store32 "i64.store32" 2 [I32 I64] [];
        Simd 0 V128Load "v128.load" 4 [I32] [V128];
        Simd 1 V128Load8x8S "v128.load8x8_s" 3 [I32] [V128];
        Simd 2 V128Load8x8U "v128.load8x8_u" 3 [I32] [V128];
        Simd 3 V128Load16x4S "v128.load16x4_s" 3 [I32] [V128];
        Simd 4 V128Load16x4U "v128.load16x4_u" 3 [I32] [V128];
        Simd 5 V128Load32x2S "v128.load32x2_s" 3 [I32] [V128];
        Simd 6 V128Load32x2U "v128.load32x2_u" 3 [I32] [V128];
        Simd 7 V128Load8Splat "v128.load8_splat" 0 [I32] [V128];
        Simd 8 V128Load16Splat "v128.load16_splat" 1 [I32] [V128];
        Simd 9 V128Load32Splat "v128.load32_splat" 2 [I32] [V128];
        Simd 10 V128Load64Splat "v128.load64_splat" 3 [I32] [V128];
        Simd 92 V128Load32Zero "v128.load32_zero" 2 [I32] [V128];
        Simd 93 V128Load64Zero "v128.load64_zero" 3 [I32] [V128];
        Simd 11 V128Store "v128.store" 4 [I32 V128] [];
    }
    lane {
        Simd 21 I8x16ExtractLaneS "i8x16.extract_lane_s" 16 [V128] [I32];
        Simd 22 I8x16ExtractLaneU "i8x16.extract_lane_u" 16 [V128] [I32];
        Simd 23 I8x16ReplaceLane "i8x16.replace_lane" 16 [V128 I32] [V128];
        Simd 24 I16x8ExtractLaneS "i16x8.extract_lane_s" 8 [V128] [I32];
        Simd 25 I16x8ExtractLaneU "i16x8.extract_lane_u" 8 [V128] [I32];
        Simd 26 I16x8ReplaceLane "i16x8.replace_lane" 8 [V128 I32] [V128];
        Simd 27 I32x4ExtractLane "i32x4.extract_lane" 4 [V128] [I32];
        Simd 28 I32x4ReplaceLane "i32x4.replace_lane" 4 [V128 I32] [V128];
        Simd 29 I64x2ExtractLane "i64x2.extract_lane" 2 [V128] [I64];
        Simd 30 I64x2ReplaceLane "i64x2.replace_lane" 2 [V128 I64] [V128];
        Simd 31 F32x4ExtractLane "f32x4.extract_lane" 4 [V128] [F32];
        Simd 32 F32x4ReplaceLane "f32x4.replace_lane" 4 [V128 F32] [V128];
        Simd 33 F64x2ExtractLane "f64x2.extract_lane" 2 [V128] [F64];
        Simd 34 F64x2ReplaceLane "f64x2.replace_lane" 2 [V128 F64] [V128];
    }
    memory_lane {
        Simd 84 V128Load8Lane "v128.load8_lane" 0 16 [I32 V128] [V128];
        Simd 85 V128Load16Lane "v128.load16_lane" 1 8 [I32 V128] [V128];
        Simd 86 V128Load32Lane "v128.load32_lane" 2 4 [I32 V128] [V128];
        Simd 87 V128Load64Lane "v128.load64_lane" 3 2 [I32 V128] [V128];
        Simd 88 V128Store8Lane "v128.store8_lane" 0 16 [I32 V128] [];
        Simd 89 V128Store16Lane "v128.store16_lane" 1 8 [I32 V128] [];
        Simd 90 V128Store32Lane "v128.store32_lane" 2 4 [I32 V128] [];
        Simd 91 V128Store64Lane "v128.store64_lane" 3 2 [I32 V128] [];
    }

}
