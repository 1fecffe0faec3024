//! Translation of one function body: the operand stack, and the dispatch of each operator to
//! the module that translates it.

use super::builder::FuncBuilder;
use super::control::Frame;
use super::numeric::{numeric, Numeric};
use super::ssa::Variable;
use super::{ir_type, memory};
use crate::decode::{Module, Operator, ValType};
use crate::error::{Error, Result};
use crate::ir::{Function, InstData, IntCC, Type, Value};
use crate::vmctx::VmctxLayout;

pub(super) struct Translator<'m> {
    pub module: &'m Module,
    pub layout: &'m VmctxLayout,
    pub b: FuncBuilder,
    /// The Wasm operand stack, as SSA values.
    pub stack: Vec<Value>,
    pub frames: Vec<Frame>,
    /// False after `br`, `return`, `unreachable` (and the like) until the code is reachable
    /// again; operators are then skipped.
    pub reachable: bool,
    /// Blocks opened inside unreachable code, whose `end` must be skipped too.
    pub dead_depth: u32,
    /// The offset of the operator being translated.
    pub offset: usize,
}

impl<'m> Translator<'m> {
    /// A translator for a function with IR signature `func.sig` and local types `locals`
    /// (parameters first).
    pub fn new(
        module: &'m Module,
        layout: &'m VmctxLayout,
        func: Function,
        locals: Vec<Type>,
        results: Vec<Type>,
    ) -> Self {
        let b = FuncBuilder::new(func, locals);
        let mut t = Translator {
            module,
            layout,
            b,
            stack: Vec::new(),
            frames: Vec::new(),
            reachable: true,
            dead_depth: 0,
            offset: 0,
        };
        t.push_function_frame(results);
        t
    }

    /// Translate the operators of the body, ending with the function's final `end`.
    pub fn translate(mut self, ops: impl Iterator<Item = Result<(Operator, usize)>>) -> Result<Function> {
        for item in ops {
            let (op, offset) = item?;
            if self.frames.is_empty() {
                return Err(Error::at(offset, "operator after the end of the function"));
            }
            self.offset = offset;
            self.b.srcloc = u32::try_from(offset).unwrap_or(0);
            if self.reachable {
                self.operator(op)?;
            } else {
                self.unreachable_operator(&op)?;
            }
        }
        if !self.frames.is_empty() {
            return Err(Error::at(self.offset, "function body ends without `end`"));
        }
        Ok(self.b.finish())
    }

    /// An error at the current operator.
    pub fn error(&self, message: &str) -> Error {
        Error::at(self.offset, message)
    }

    pub fn pop(&mut self) -> Result<Value> {
        let floor = self.frames.last().map_or(0, |f| f.height);
        if self.stack.len() <= floor {
            return Err(self.error("operand stack underflow"));
        }
        self.stack.pop().ok_or_else(|| self.error("operand stack underflow"))
    }

    /// Pop `n` values, returned in stack order (deepest first).
    pub fn pop_n(&mut self, n: usize) -> Result<Vec<Value>> {
        let vals = self.peek_n(n)?;
        self.stack.truncate(self.stack.len() - n);
        Ok(vals)
    }

    /// The top `n` values, in stack order, left on the stack.
    pub fn peek_n(&self, n: usize) -> Result<Vec<Value>> {
        let floor = self.frames.last().map_or(0, |f| f.height);
        if self.stack.len() < floor + n {
            return Err(self.error("operand stack underflow"));
        }
        Ok(self.stack[self.stack.len() - n..].to_vec())
    }

    pub fn push(&mut self, v: Value) {
        self.stack.push(v);
    }

    pub fn value_type(&self, v: Value) -> Type {
        self.b.func.value_type(v)
    }

    fn local(&self, index: u32) -> Result<Variable> {
        let var = Variable(index);
        match self.b.ssa.var_type(var) {
            Some(_) => Ok(var),
            None => Err(self.error("unknown local")),
        }
    }

    /// In unreachable code only the nesting of blocks matters.
    fn unreachable_operator(&mut self, op: &Operator) -> Result<()> {
        match op {
            Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } => {
                self.dead_depth = self.dead_depth.saturating_add(1)
            }
            Operator::Else if self.dead_depth == 0 => self.translate_else()?,
            Operator::End if self.dead_depth == 0 => self.translate_end()?,
            Operator::End => self.dead_depth -= 1,
            _ => {}
        }
        Ok(())
    }

    fn operator(&mut self, op: Operator) -> Result<()> {
        use Operator as O;
        if let Some(n) = numeric(&op) {
            return self.numeric(n);
        }
        if let Some(access) = memory::access(&op) {
            return self.memory_access(access);
        }
        match op {
            O::Nop => {}
            O::Unreachable => self.translate_unreachable(),
            O::Block { ty } => self.translate_block(ty)?,
            O::Loop { ty } => self.translate_loop(ty)?,
            O::If { ty } => self.translate_if(ty)?,
            O::Else => self.translate_else()?,
            O::End => self.translate_end()?,
            O::Br { depth } => self.translate_br(depth)?,
            O::BrIf { depth } => self.translate_br_if(depth)?,
            O::BrTable { targets, default } => self.translate_br_table(&targets, default)?,
            O::Return => self.translate_return()?,
            O::Call { func } => self.translate_call(func)?,
            O::CallIndirect { type_index, table } => self.translate_call_indirect(type_index, table)?,

            O::Drop => {
                self.pop()?;
            }
            O::Select | O::TypedSelect { .. } => {
                let cond = self.pop()?;
                let [a, b] = self.pop_n(2)?[..] else { return Err(self.error("select needs two operands")) };
                let ty = self.value_type(a);
                let v = self.b.ins1(InstData::Select { ty, cond, args: [a, b] }, ty);
                self.push(v);
            }

            O::LocalGet { index } => {
                let var = self.local(index)?;
                let v = self.b.use_var(var);
                self.push(v);
            }
            O::LocalSet { index } => {
                let var = self.local(index)?;
                let v = self.pop()?;
                self.b.def_var(var, v);
            }
            O::LocalTee { index } => {
                let var = self.local(index)?;
                let v = self.pop()?;
                self.b.def_var(var, v);
                self.push(v);
            }
            O::GlobalGet { index } => self.translate_global_get(index)?,
            O::GlobalSet { index } => self.translate_global_set(index)?,

            O::I32Const { value } => {
                let v = self.b.iconst(Type::I32, value.into());
                self.push(v);
            }
            O::I64Const { value } => {
                let v = self.b.iconst(Type::I64, value);
                self.push(v);
            }
            O::F32Const { bits } => {
                let v = self.b.ins1(InstData::F32const { bits }, Type::F32);
                self.push(v);
            }
            O::F64Const { bits } => {
                let v = self.b.ins1(InstData::F64const { bits }, Type::F64);
                self.push(v);
            }

            O::RefNull { .. } => {
                let v = self.b.ins1(InstData::RefNull, Type::Ref);
                self.push(v);
            }
            O::RefIsNull => {
                let arg = self.pop()?;
                let v = self.b.ins1(InstData::IsNull { arg }, Type::I32);
                self.push(v);
            }
            O::RefFunc { func } => self.translate_ref_func(func)?,

            O::MemorySize { .. } => self.translate_memory_size(),
            O::MemoryGrow { .. } => self.translate_memory_grow()?,
            O::MemoryFill { .. } => self.translate_memory_fill()?,
            O::MemoryCopy { .. } => self.translate_memory_copy()?,
            O::MemoryInit { data, .. } => self.translate_memory_init(data)?,
            O::DataDrop { data } => self.translate_data_drop(data),

            O::TableGet { table } => self.translate_table_get(table)?,
            O::TableSet { table } => self.translate_table_set(table)?,
            O::TableSize { table } => self.translate_table_size(table),
            O::TableGrow { table } => self.translate_table_grow(table)?,
            O::TableFill { table } => self.translate_table_fill(table)?,
            O::TableCopy { dst_table, src_table } => self.translate_table_copy(dst_table, src_table)?,
            O::TableInit { elem, table } => self.translate_table_init(elem, table)?,
            O::ElemDrop { elem } => self.translate_elem_drop(elem),

            other if is_simd(&other) => self.translate_simd(&other)?,
            other => return Err(self.error(&format!("`{}` is not supported yet", other.name()))),
        }
        Ok(())
    }

    fn numeric(&mut self, n: Numeric) -> Result<()> {
        let v = match n {
            Numeric::Unary(op, ty) => {
                let arg = self.pop()?;
                self.b.ins1(InstData::Unary { op, ty, arg }, ty)
            }
            Numeric::Binary(op, ty) => {
                let [a, b] = self.pop_n(2)?[..] else { return Err(self.error("binary operator needs two operands")) };
                self.b.ins1(InstData::Binary { op, ty, args: [a, b] }, ty)
            }
            Numeric::Icmp(cond, ty) => {
                let [a, b] = self.pop_n(2)?[..] else { return Err(self.error("comparison needs two operands")) };
                self.b.ins1(InstData::Icmp { cond, ty, args: [a, b] }, Type::I32)
            }
            Numeric::Fcmp(cond, ty) => {
                let [a, b] = self.pop_n(2)?[..] else { return Err(self.error("comparison needs two operands")) };
                self.b.ins1(InstData::Fcmp { cond, ty, args: [a, b] }, Type::I32)
            }
            Numeric::Eqz(ty) => {
                let a = self.pop()?;
                let zero = self.b.iconst(ty, 0);
                self.b.ins1(InstData::Icmp { cond: IntCC::Eq, ty, args: [a, zero] }, Type::I32)
            }
            Numeric::Conv(op, from, to) => {
                let arg = self.pop()?;
                self.b.ins1(InstData::Conv { op, from, to, arg }, to)
            }
        };
        self.push(v);
        Ok(())
    }

    /// The IR types of a value-type list.
    pub fn ir_types(types: &[ValType]) -> Vec<Type> {
        types.iter().map(|&t| ir_type(t)).collect()
    }
}

/// True for the fixed-width SIMD instructions (everything that takes or produces a `v128`,
/// except the parametric and variable instructions, which the IR handles for any type).
fn is_simd(op: &Operator) -> bool {
    matches!(op, Operator::V128Const { .. } | Operator::I8x16Shuffle { .. })
        || op
            .fixed_signature()
            .is_some_and(|(params, results)| params.iter().chain(results).any(|&t| t == ValType::V128))
}
