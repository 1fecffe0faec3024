//! The SSA IR shared by every pass and every target.
//!
//! A [`Function`] is a list of basic blocks; each block has parameters (no phi nodes) and a
//! list of instructions, the last of which is a terminator. Values are typed and defined once,
//! either as a block parameter or as a result of an instruction. Instructions are
//! target-independent and carry Wasm's semantics where that matters (an `sdiv` traps on a zero
//! divisor and on overflow; `fmin` follows Wasm's NaN and signed-zero rules), so that passes can
//! reason about them and each backend lowers them faithfully.
//!
//! The function's first parameter (entry block parameter 0) is always the instance pointer
//! `vmctx`, of type `i64`. Linear memory is addressed by `load`/`store` with an explicit heap
//! base value (loaded once from vmctx: with guard pages the base never moves), a 32-bit Wasm
//! address and a constant offset.
//!
//! Text form: see `print.rs` (printer) and `parse.rs` (parser); they round-trip.

pub mod hash;
pub mod parse;
pub mod print;
pub mod simd;
pub mod verify;

pub use simd::SimdOp;

use std::fmt;

/// A value: a block parameter or an instruction result.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Value(pub u32);
/// A basic block.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Block(pub u32);
/// An instruction.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Inst(pub u32);
/// A signature declared in the function (for calls).
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct SigRef(pub u32);

impl Value {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}
impl Block {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}
impl Inst {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Value types. `Ref` is a pointer-sized reference (funcref, externref): 64 bits, integer class.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Type {
    I32,
    I64,
    F32,
    F64,
    V128,
    Ref,
}

impl Type {
    pub fn is_int(self) -> bool {
        matches!(self, Type::I32 | Type::I64 | Type::Ref)
    }
    pub fn is_float(self) -> bool {
        matches!(self, Type::F32 | Type::F64)
    }
    /// Size in bytes.
    pub fn bytes(self) -> u32 {
        match self {
            Type::I32 | Type::F32 => 4,
            Type::I64 | Type::F64 | Type::Ref => 8,
            Type::V128 => 16,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Type::I32 => "i32",
            Type::I64 => "i64",
            Type::F32 => "f32",
            Type::F64 => "f64",
            Type::V128 => "v128",
            Type::Ref => "ref",
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A native call signature. For Wasm functions `params[0]` is the callee's vmctx (`i64`).
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct Signature {
    pub params: Vec<Type>,
    pub results: Vec<Type>,
}

/// Why a program traps. The numbers are shared with `runtime-lib/include/wasmc.h`.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
#[repr(u32)]
pub enum TrapCode {
    Unreachable = 1,
    MemoryOutOfBounds = 2,
    IntegerDivideByZero = 3,
    IntegerOverflow = 4,
    InvalidConversion = 5,
    /// call_indirect through a null table element.
    IndirectCallNull = 6,
    /// call_indirect whose callee's signature differs.
    IndirectCallBadSig = 7,
    TableOutOfBounds = 8,
    StackOverflow = 9,
    /// An import wasmc does not provide, called under `--allow-unknown-imports`.
    UnknownImport = 10,
}

impl TrapCode {
    pub const ALL: [TrapCode; 10] = [
        TrapCode::Unreachable,
        TrapCode::MemoryOutOfBounds,
        TrapCode::IntegerDivideByZero,
        TrapCode::IntegerOverflow,
        TrapCode::InvalidConversion,
        TrapCode::IndirectCallNull,
        TrapCode::IndirectCallBadSig,
        TrapCode::TableOutOfBounds,
        TrapCode::StackOverflow,
        TrapCode::UnknownImport,
    ];
    /// Short name used in the text form.
    pub fn name(self) -> &'static str {
        match self {
            TrapCode::Unreachable => "unreachable",
            TrapCode::MemoryOutOfBounds => "heap_oob",
            TrapCode::IntegerDivideByZero => "int_divz",
            TrapCode::IntegerOverflow => "int_ovf",
            TrapCode::InvalidConversion => "bad_conv",
            TrapCode::IndirectCallNull => "icall_null",
            TrapCode::IndirectCallBadSig => "bad_sig",
            TrapCode::TableOutOfBounds => "table_oob",
            TrapCode::StackOverflow => "stk_ovf",
            TrapCode::UnknownImport => "unknown_import",
        }
    }
    pub fn from_name(s: &str) -> Option<TrapCode> {
        TrapCode::ALL.iter().copied().find(|t| t.name() == s)
    }
}

/// Integer comparison conditions.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum IntCC {
    Eq,
    Ne,
    Slt,
    Sle,
    Sgt,
    Sge,
    Ult,
    Ule,
    Ugt,
    Uge,
}

/// Float comparison conditions (Wasm semantics: every comparison with NaN is false except `ne`).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum FloatCC {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// One-operand operations; the result has the operand's type unless noted.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum UnaryOp {
    Clz,
    Ctz,
    Popcnt,
    /// Sign-extend the low 8/16/32 bits in place (i32.extend8_s, i64.extend32_s, ...).
    Sext8,
    Sext16,
    Sext32,
    Fabs,
    Fneg,
    Fsqrt,
    Fceil,
    Ffloor,
    Ftrunc,
    /// Round to nearest, ties to even.
    Fnearest,
}

/// Two-operand operations on operands of one type; the result has that type.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum BinaryOp {
    Iadd,
    Isub,
    Imul,
    /// Traps on a zero divisor and on MIN / -1.
    Sdiv,
    /// Traps on a zero divisor.
    Udiv,
    /// Traps on a zero divisor; MIN % -1 is 0.
    Srem,
    /// Traps on a zero divisor.
    Urem,
    And,
    Or,
    Xor,
    /// Shift and rotate counts are taken modulo the bit width.
    Shl,
    Sshr,
    Ushr,
    Rotl,
    Rotr,
    Fadd,
    Fsub,
    Fmul,
    Fdiv,
    /// Wasm min/max: NaN if either is NaN, -0 < +0.
    Fmin,
    Fmax,
    Fcopysign,
}

impl BinaryOp {
    /// Integer operations whose operands may swap. Float add and multiply commute only up to
    /// which NaN payload comes out, which a caller that allows that says itself.
    pub fn is_commutative(self) -> bool {
        matches!(self, BinaryOp::Iadd | BinaryOp::Imul | BinaryOp::And | BinaryOp::Or | BinaryOp::Xor)
    }
}

/// Conversions between types; the result type is given by the instruction.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum ConvOp {
    /// i64 -> i32, keep the low bits.
    Wrap,
    /// i32 -> i64, sign- or zero-extended.
    Sextend,
    Uextend,
    /// float -> int, trapping on NaN (invalid conversion) and out of range (integer overflow).
    FcvtToSint,
    FcvtToUint,
    /// float -> int, saturating (NaN -> 0).
    FcvtToSintSat,
    FcvtToUintSat,
    /// int -> float.
    FcvtFromSint,
    FcvtFromUint,
    /// f32 -> f64, f64 -> f32.
    Fpromote,
    Fdemote,
    /// Reinterpret the bits (i32 <-> f32, i64 <-> f64).
    Bitcast,
}

/// Width and signedness of a linear-memory access.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum MemSize {
    /// The full width of the value type.
    Full,
    S8,
    U8,
    S16,
    U16,
    S32,
    U32,
}

impl MemSize {
    /// Bytes accessed in memory, given the value type.
    pub fn bytes(self, ty: Type) -> u32 {
        match self {
            MemSize::Full => ty.bytes(),
            MemSize::S8 | MemSize::U8 => 1,
            MemSize::S16 | MemSize::U16 => 2,
            MemSize::S32 | MemSize::U32 => 4,
        }
    }
}

/// Functions of runtime-lib that compiled code calls. Each takes `vmctx` first; the symbol
/// names and signatures are declared in `runtime-lib/include/wasmc.h`.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum RuntimeFn {
    /// (vmctx, i32 delta_pages) -> i32 old_pages or -1
    MemoryGrow,
    /// (vmctx, i32 dst, i32 val, i32 len)
    MemoryFill,
    /// (vmctx, i32 dst, i32 src, i32 len)
    MemoryCopy,
    /// (vmctx, i32 seg, i32 dst, i32 src, i32 len)
    MemoryInit,
    /// (vmctx, i32 seg)
    DataDrop,
    /// (vmctx, i32 table, i32 index) -> ref
    TableGet,
    /// (vmctx, i32 table, i32 index, ref value)
    TableSet,
    /// (vmctx, i32 table) -> i32
    TableSize,
    /// (vmctx, i32 table, ref init, i32 delta) -> i32 old size or -1
    TableGrow,
    /// (vmctx, i32 table, i32 dst, ref value, i32 len)
    TableFill,
    /// (vmctx, i32 dst_table, i32 src_table, i32 dst, i32 src, i32 len)
    TableCopy,
    /// (vmctx, i32 table, i32 seg, i32 dst, i32 src, i32 len)
    TableInit,
    /// (vmctx, i32 seg)
    ElemDrop,
    /// (vmctx, i32 func_index) -> ref (the function's funcref)
    RefFunc,
}

impl RuntimeFn {
    pub const ALL: [RuntimeFn; 14] = [
        RuntimeFn::MemoryGrow,
        RuntimeFn::MemoryFill,
        RuntimeFn::MemoryCopy,
        RuntimeFn::MemoryInit,
        RuntimeFn::DataDrop,
        RuntimeFn::TableGet,
        RuntimeFn::TableSet,
        RuntimeFn::TableSize,
        RuntimeFn::TableGrow,
        RuntimeFn::TableFill,
        RuntimeFn::TableCopy,
        RuntimeFn::TableInit,
        RuntimeFn::ElemDrop,
        RuntimeFn::RefFunc,
    ];
    /// The C symbol in runtime-lib.
    pub fn symbol(self) -> &'static str {
        match self {
            RuntimeFn::MemoryGrow => "wasmc_rt_memory_grow",
            RuntimeFn::MemoryFill => "wasmc_rt_memory_fill",
            RuntimeFn::MemoryCopy => "wasmc_rt_memory_copy",
            RuntimeFn::MemoryInit => "wasmc_rt_memory_init",
            RuntimeFn::DataDrop => "wasmc_rt_data_drop",
            RuntimeFn::TableGet => "wasmc_rt_table_get",
            RuntimeFn::TableSet => "wasmc_rt_table_set",
            RuntimeFn::TableSize => "wasmc_rt_table_size",
            RuntimeFn::TableGrow => "wasmc_rt_table_grow",
            RuntimeFn::TableFill => "wasmc_rt_table_fill",
            RuntimeFn::TableCopy => "wasmc_rt_table_copy",
            RuntimeFn::TableInit => "wasmc_rt_table_init",
            RuntimeFn::ElemDrop => "wasmc_rt_elem_drop",
            RuntimeFn::RefFunc => "wasmc_rt_ref_func",
        }
    }
    /// Short name used in the text form (`call_rt memory_grow(v0, v1)`).
    pub fn name(self) -> &'static str {
        &self.symbol()["wasmc_rt_".len()..]
    }
    pub fn from_name(s: &str) -> Option<RuntimeFn> {
        RuntimeFn::ALL.iter().copied().find(|f| f.name() == s)
    }
    /// Native signature, vmctx (i64) first.
    pub fn signature(self) -> Signature {
        use Type::*;
        let (params, results): (&[Type], &[Type]) = match self {
            RuntimeFn::MemoryGrow => (&[I64, I32], &[I32]),
            RuntimeFn::MemoryFill => (&[I64, I32, I32, I32], &[]),
            RuntimeFn::MemoryCopy => (&[I64, I32, I32, I32], &[]),
            RuntimeFn::MemoryInit => (&[I64, I32, I32, I32, I32], &[]),
            RuntimeFn::DataDrop => (&[I64, I32], &[]),
            RuntimeFn::TableGet => (&[I64, I32, I32], &[Ref]),
            RuntimeFn::TableSet => (&[I64, I32, I32, Ref], &[]),
            RuntimeFn::TableSize => (&[I64, I32], &[I32]),
            RuntimeFn::TableGrow => (&[I64, I32, Ref, I32], &[I32]),
            RuntimeFn::TableFill => (&[I64, I32, I32, Ref, I32], &[]),
            RuntimeFn::TableCopy => (&[I64, I32, I32, I32, I32, I32], &[]),
            RuntimeFn::TableInit => (&[I64, I32, I32, I32, I32, I32], &[]),
            RuntimeFn::ElemDrop => (&[I64, I32], &[]),
            RuntimeFn::RefFunc => (&[I64, I32], &[Ref]),
        };
        Signature { params: params.to_vec(), results: results.to_vec() }
    }
}

/// A branch target with the arguments passed to the target block's parameters.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct BlockCall {
    pub block: Block,
    pub args: Vec<Value>,
}

/// An instruction. Operands are [`Value`]s; results are recorded in `Function::inst_results`.
#[derive(Clone, PartialEq, Debug)]
pub enum InstData {
    /// Integer constant of type i32 or i64 (for i32 only the low 32 bits matter; stored
    /// sign-extended from 32 bits so that equal constants compare equal).
    Iconst { ty: Type, imm: i64 },
    F32const { bits: u32 },
    F64const { bits: u64 },
    V128const { bytes: u128 },
    /// Null reference.
    RefNull,
    Unary { op: UnaryOp, ty: Type, arg: Value },
    Binary { op: BinaryOp, ty: Type, args: [Value; 2] },
    /// Result i32: 1 or 0.
    Icmp { cond: IntCC, ty: Type, args: [Value; 2] },
    /// Result i32: 1 or 0.
    Fcmp { cond: FloatCC, ty: Type, args: [Value; 2] },
    /// Result type `to`; operand type `from`.
    Conv { op: ConvOp, from: Type, to: Type, arg: Value },
    /// `cond` (i32) != 0 ? args[0] : args[1].
    Select { ty: Type, cond: Value, args: [Value; 2] },
    /// Result i32: 1 if the reference is null.
    IsNull { arg: Value },
    /// A vector operation (see `simd.rs`); the operands' types are `op.operand_types()`.
    Simd { op: SimdOp, args: Vec<Value> },

    /// Linear-memory load: `heap + zext(addr) + offset`; traps out of bounds.
    Load { ty: Type, size: MemSize, heap: Value, addr: Value, offset: u32 },
    /// Linear-memory store of `value` (truncated to `size`).
    Store { ty: Type, size: MemSize, heap: Value, addr: Value, offset: u32, value: Value },
    /// Load from a host pointer (vmctx fields, tables, globals): `*(ptr + offset)`. Never traps.
    /// `readonly` loads read memory that does not change while the function runs (the heap
    /// base, type ids), so they may be hoisted and merged freely.
    LoadPtr { ty: Type, ptr: Value, offset: i32, readonly: bool },
    /// Store to a host pointer: `*(ptr + offset) = value`.
    StorePtr { ty: Type, ptr: Value, offset: i32, value: Value },

    /// Direct call of function `func` of this module (imports excluded). `args[0]` is vmctx.
    Call { func: u32, sig: SigRef, args: Vec<Value> },
    /// Call through a native code pointer. `args[0]` is the callee's vmctx.
    CallIndirect { sig: SigRef, callee: Value, args: Vec<Value> },
    /// Call of a runtime-lib function; `args[0]` is vmctx.
    CallRuntime { func: RuntimeFn, args: Vec<Value> },

    /// Trap with `code` if `cond` (i32) is non-zero.
    Trapnz { cond: Value, code: TrapCode },
    /// Trap with `code` if `cond` (i32) is zero.
    Trapz { cond: Value, code: TrapCode },

    // Terminators.
    Jump { dest: BlockCall },
    /// `cond` (i32) != 0 goes to `then_dest`, else to `else_dest`.
    Brif { cond: Value, then_dest: BlockCall, else_dest: BlockCall },
    /// `index` (i32) selects `targets[index]`, or `default` when out of range.
    /// Targets take no arguments (translation routes through edge blocks where needed).
    BrTable { index: Value, targets: Vec<Block>, default: Block },
    Return { args: Vec<Value> },
    Trap { code: TrapCode },
}

impl InstData {
    pub fn is_terminator(&self) -> bool {
        matches!(
            self,
            InstData::Jump { .. }
                | InstData::Brif { .. }
                | InstData::BrTable { .. }
                | InstData::Return { .. }
                | InstData::Trap { .. }
        )
    }

    /// True if the instruction has an effect beyond its results (memory, calls, traps,
    /// control flow), so it must not be removed or reordered past other such instructions.
    pub fn has_side_effects(&self) -> bool {
        match self {
            InstData::Binary { op, .. } => {
                matches!(op, BinaryOp::Sdiv | BinaryOp::Udiv | BinaryOp::Srem | BinaryOp::Urem)
            }
            InstData::Conv { op, .. } => matches!(op, ConvOp::FcvtToSint | ConvOp::FcvtToUint),
            InstData::Load { .. }
            | InstData::Store { .. }
            | InstData::StorePtr { .. }
            | InstData::Call { .. }
            | InstData::CallIndirect { .. }
            | InstData::CallRuntime { .. }
            | InstData::Trapnz { .. }
            | InstData::Trapz { .. } => true,
            InstData::LoadPtr { readonly, .. } => !readonly,
            _ => self.is_terminator(),
        }
    }

    /// The value operands, in order.
    pub fn args(&self) -> Vec<Value> {
        let mut v = Vec::new();
        self.for_each_arg(|x| v.push(x));
        v
    }

    /// Visit every value operand, including branch arguments.
    pub fn for_each_arg(&self, mut f: impl FnMut(Value)) {
        match self {
            InstData::Iconst { .. }
            | InstData::F32const { .. }
            | InstData::F64const { .. }
            | InstData::V128const { .. }
            | InstData::RefNull
            | InstData::Trap { .. } => {}
            InstData::Unary { arg, .. } | InstData::Conv { arg, .. } | InstData::IsNull { arg } => f(*arg),
            InstData::Binary { args, .. } | InstData::Icmp { args, .. } | InstData::Fcmp { args, .. } => {
                f(args[0]);
                f(args[1]);
            }
            InstData::Select { cond, args, .. } => {
                f(*cond);
                f(args[0]);
                f(args[1]);
            }
            InstData::Load { heap, addr, .. } => {
                f(*heap);
                f(*addr);
            }
            InstData::Store { heap, addr, value, .. } => {
                f(*heap);
                f(*addr);
                f(*value);
            }
            InstData::LoadPtr { ptr, .. } => f(*ptr),
            InstData::StorePtr { ptr, value, .. } => {
                f(*ptr);
                f(*value);
            }
            InstData::Call { args, .. }
            | InstData::CallRuntime { args, .. }
            | InstData::Return { args }
            | InstData::Simd { args, .. } => args.iter().copied().for_each(f),
            InstData::CallIndirect { callee, args, .. } => {
                f(*callee);
                args.iter().copied().for_each(f);
            }
            InstData::Trapnz { cond, .. } | InstData::Trapz { cond, .. } => f(*cond),
            InstData::Jump { dest } => dest.args.iter().copied().for_each(f),
            InstData::Brif { cond, then_dest, else_dest } => {
                f(*cond);
                then_dest.args.iter().copied().for_each(&mut f);
                else_dest.args.iter().copied().for_each(&mut f);
            }
            InstData::BrTable { index, .. } => f(*index),
        }
    }

    /// Rewrite every value operand in place.
    pub fn map_args(&mut self, mut f: impl FnMut(Value) -> Value) {
        let mut m = |v: &mut Value| *v = f(*v);
        match self {
            InstData::Iconst { .. }
            | InstData::F32const { .. }
            | InstData::F64const { .. }
            | InstData::V128const { .. }
            | InstData::RefNull
            | InstData::Trap { .. } => {}
            InstData::Unary { arg, .. } | InstData::Conv { arg, .. } | InstData::IsNull { arg } => m(arg),
            InstData::Binary { args, .. } | InstData::Icmp { args, .. } | InstData::Fcmp { args, .. } => {
                args.iter_mut().for_each(m)
            }
            InstData::Select { cond, args, .. } => {
                m(cond);
                args.iter_mut().for_each(m);
            }
            InstData::Load { heap, addr, .. } => {
                m(heap);
                m(addr);
            }
            InstData::Store { heap, addr, value, .. } => {
                m(heap);
                m(addr);
                m(value);
            }
            InstData::LoadPtr { ptr, .. } => m(ptr),
            InstData::StorePtr { ptr, value, .. } => {
                m(ptr);
                m(value);
            }
            InstData::Call { args, .. }
            | InstData::CallRuntime { args, .. }
            | InstData::Return { args }
            | InstData::Simd { args, .. } => args.iter_mut().for_each(m),
            InstData::CallIndirect { callee, args, .. } => {
                m(callee);
                args.iter_mut().for_each(m);
            }
            InstData::Trapnz { cond, .. } | InstData::Trapz { cond, .. } => m(cond),
            InstData::Jump { dest } => dest.args.iter_mut().for_each(m),
            InstData::Brif { cond, then_dest, else_dest } => {
                m(cond);
                then_dest.args.iter_mut().for_each(&mut m);
                else_dest.args.iter_mut().for_each(&mut m);
            }
            InstData::BrTable { index, .. } => m(index),
        }
    }

    /// Successor blocks of a terminator, in order (empty for non-terminators).
    pub fn successors(&self) -> Vec<Block> {
        match self {
            InstData::Jump { dest } => vec![dest.block],
            InstData::Brif { then_dest, else_dest, .. } => vec![then_dest.block, else_dest.block],
            InstData::BrTable { targets, default, .. } => {
                let mut v = targets.clone();
                v.push(*default);
                v
            }
            _ => Vec::new(),
        }
    }
}

/// Where a value comes from.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum ValueDef {
    /// Parameter `n` of a block.
    Param(Block, u32),
    /// Result `n` of an instruction.
    Result(Inst, u32),
}

#[derive(Clone, Debug)]
pub struct ValueData {
    pub ty: Type,
    pub def: ValueDef,
}

#[derive(Clone, Debug, Default)]
pub struct BlockData {
    pub params: Vec<Value>,
    /// Instructions in order; the last is a terminator once the block is complete.
    pub insts: Vec<Inst>,
}

/// A function in SSA form.
#[derive(Clone, Debug, Default)]
pub struct Function {
    /// Symbol-friendly name (the Wasm name section's, or `f<index>`).
    pub name: String,
    /// Native signature; `params[0]` is vmctx (i64). Matches the entry block's parameters.
    pub sig: Signature,
    /// Signatures referenced by calls.
    pub sigs: Vec<Signature>,
    pub blocks: Vec<BlockData>,
    /// Block order; `layout[0]` is the entry block. Blocks not in the layout are dead.
    pub layout: Vec<Block>,
    pub insts: Vec<InstData>,
    pub inst_results: Vec<Vec<Value>>,
    /// Byte offset in the module binary of the Wasm operator each instruction came from, for
    /// traps and debug info; 0 where unknown.
    pub srclocs: Vec<u32>,
    pub values: Vec<ValueData>,
}

impl Function {
    pub fn new(name: impl Into<String>, sig: Signature) -> Function {
        Function { name: name.into(), sig, ..Default::default() }
    }

    /// Make room for about `insts` more instructions and their results.
    pub fn reserve(&mut self, insts: usize) {
        self.insts.reserve(insts);
        self.inst_results.reserve(insts);
        self.srclocs.reserve(insts);
        self.values.reserve(insts);
    }

    pub fn entry(&self) -> Block {
        self.layout[0]
    }

    /// Create a block (not yet placed in the layout).
    pub fn create_block(&mut self) -> Block {
        self.blocks.push(BlockData::default());
        Block(self.blocks.len() as u32 - 1)
    }

    /// Append a block to the layout.
    pub fn append_block(&mut self, b: Block) {
        self.layout.push(b);
    }

    pub fn append_block_param(&mut self, b: Block, ty: Type) -> Value {
        let n = self.blocks[b.index()].params.len() as u32;
        let v = self.new_value(ty, ValueDef::Param(b, n));
        self.blocks[b.index()].params.push(v);
        v
    }

    pub fn new_value(&mut self, ty: Type, def: ValueDef) -> Value {
        self.values.push(ValueData { ty, def });
        Value(self.values.len() as u32 - 1)
    }

    pub fn value_type(&self, v: Value) -> Type {
        self.values[v.index()].ty
    }

    pub fn import_signature(&mut self, sig: Signature) -> SigRef {
        if let Some(i) = self.sigs.iter().position(|s| *s == sig) {
            return SigRef(i as u32);
        }
        self.sigs.push(sig);
        SigRef(self.sigs.len() as u32 - 1)
    }

    /// Create an instruction with results of the given types, not yet placed in a block.
    pub fn create_inst(&mut self, data: InstData, result_types: &[Type], srcloc: u32) -> Inst {
        let inst = Inst(self.insts.len() as u32);
        self.insts.push(data);
        self.srclocs.push(srcloc);
        let results = result_types
            .iter()
            .enumerate()
            .map(|(i, &ty)| self.new_value(ty, ValueDef::Result(inst, i as u32)))
            .collect();
        self.inst_results.push(results);
        inst
    }

    /// Create an instruction and append it to block `b`.
    pub fn append_inst(&mut self, b: Block, data: InstData, result_types: &[Type], srcloc: u32) -> Inst {
        let inst = self.create_inst(data, result_types, srcloc);
        self.blocks[b.index()].insts.push(inst);
        inst
    }

    pub fn results(&self, inst: Inst) -> &[Value] {
        &self.inst_results[inst.index()]
    }

    /// The terminator of a block, if it has one.
    pub fn terminator(&self, b: Block) -> Option<Inst> {
        let last = *self.blocks[b.index()].insts.last()?;
        self.insts[last.index()].is_terminator().then_some(last)
    }

    pub fn successors(&self, b: Block) -> Vec<Block> {
        self.terminator(b).map(|t| self.insts[t.index()].successors()).unwrap_or_default()
    }

    /// Result types an instruction produces, derived from its data and the function's
    /// signatures (used by the parser and the verifier).
    pub fn result_types_of(&self, data: &InstData) -> Vec<Type> {
        match data {
            InstData::Iconst { ty, .. } => vec![*ty],
            InstData::F32const { .. } => vec![Type::F32],
            InstData::F64const { .. } => vec![Type::F64],
            InstData::V128const { .. } => vec![Type::V128],
            InstData::RefNull => vec![Type::Ref],
            InstData::Unary { ty, .. } | InstData::Binary { ty, .. } | InstData::Select { ty, .. } => vec![*ty],
            InstData::Icmp { .. } | InstData::Fcmp { .. } | InstData::IsNull { .. } => vec![Type::I32],
            InstData::Conv { to, .. } => vec![*to],
            InstData::Load { ty, .. } | InstData::LoadPtr { ty, .. } => vec![*ty],
            InstData::Call { sig, .. } | InstData::CallIndirect { sig, .. } => self.sigs[sig.0 as usize].results.clone(),
            InstData::CallRuntime { func, .. } => func.signature().results,
            InstData::Simd { op, .. } => vec![op.result_type()],
            _ => Vec::new(),
        }
    }
}
