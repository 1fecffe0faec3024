//! Validation of one function body: the operand and control stacks of the spec's appendix
//! ("Validation Algorithm"), fed one instruction at a time.
//!
//! [`FuncValidator`] is public so that SSA construction can drive it alongside its own
//! translation and read the operand types instead of computing them again.

use crate::decode::{BlockType, FunctionBody, Module, Operator, ValType};
use crate::error::{Error, Result};

/// An operand type; `None` is the "unknown" type of unreachable code, which matches anything.
pub type MaybeType = Option<ValType>;

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum FrameKind {
    Function,
    Block,
    Loop,
    If,
    Else,
}

/// One entry of the control stack.
#[derive(Clone, Debug)]
pub struct ControlFrame {
    pub kind: FrameKind,
    pub params: Vec<ValType>,
    pub results: Vec<ValType>,
    /// Operand stack height at the start of the block.
    pub height: usize,
    /// Whether the rest of the block is unreachable (after `br`, `return`, `unreachable`…).
    pub unreachable: bool,
}

impl ControlFrame {
    /// The types a branch to this frame carries: a loop's label is its start.
    pub fn label_types(&self) -> &[ValType] {
        if self.kind == FrameKind::Loop {
            &self.params
        } else {
            &self.results
        }
    }
}

pub struct FuncValidator<'m> {
    module: &'m Module,
    /// Function indices that `ref.func` may name (the spec's C.refs).
    /// Parameters, then declared locals.
    locals: Vec<ValType>,
    operands: Vec<MaybeType>,
    frames: Vec<ControlFrame>,
    /// Offset of the instruction being validated, for errors.
    offset: usize,
}

impl<'m> FuncValidator<'m> {
    /// A validator for the `defined`-th function defined in `module`, whose header is `body`.
    pub fn new(module: &'m Module, defined: u32, body: &FunctionBody) -> Result<FuncValidator<'m>> {
        let func = module.defined_func_index(defined);
        let ty = module
            .func_type(func)
            .ok_or_else(|| Error::msg(format!("function {func}: unknown type")))?;
        let mut locals = ty.params.clone();
        for &(count, local) in &body.locals {
            locals.extend(std::iter::repeat_n(local, count as usize));
        }
        let function_frame = ControlFrame {
            kind: FrameKind::Function,
            params: Vec::new(),
            results: ty.results.clone(),
            height: 0,
            unreachable: false,
        };
        Ok(FuncValidator {
            module,
            locals,
            operands: Vec::new(),
            frames: vec![function_frame],
            offset: body.operators.offset(),
        })
    }

    /// The operand stack, top last.
    pub fn operands(&self) -> &[MaybeType] {
        &self.operands
    }

    /// The control stack, innermost last. Empty once the function's final `end` is validated.
    pub fn frames(&self) -> &[ControlFrame] {
        &self.frames
    }

    /// The type of a local (parameters first).
    pub fn local_type(&self, index: u32) -> Option<ValType> {
        self.locals.get(index as usize).copied()
    }

    fn error(&self, message: impl Into<String>) -> Error {
        Error::at(self.offset, message)
    }

    fn type_mismatch(&self, expected: impl std::fmt::Display, found: MaybeType) -> Error {
        let found = found.map_or("nothing".to_string(), |t| t.to_string());
        self.error(format!("type mismatch: expected {expected}, found {found}"))
    }

    fn push(&mut self, ty: ValType) {
        self.operands.push(Some(ty));
    }

    fn push_all(&mut self, types: &[ValType]) {
        self.operands.extend(types.iter().map(|&t| Some(t)));
    }

    fn frame(&self) -> Result<&ControlFrame> {
        self.frames
            .last()
            .ok_or_else(|| self.error("operators remaining after end of function"))
    }

    /// Pops any operand; in unreachable code an empty block yields the unknown type.
    fn pop_any(&mut self) -> Result<MaybeType> {
        let frame = self.frame()?;
        if self.operands.len() == frame.height {
            if frame.unreachable {
                return Ok(None);
            }
            return Err(self.error("type mismatch: operand stack is empty"));
        }
        Ok(self.operands.pop().flatten())
    }

    fn pop(&mut self, expected: ValType) -> Result<MaybeType> {
        let actual = self.pop_any()?;
        match actual {
            Some(t) if t != expected => Err(self.type_mismatch(expected, actual)),
            _ => Ok(actual),
        }
    }

    fn pop_all(&mut self, types: &[ValType]) -> Result<()> {
        for &ty in types.iter().rev() {
            self.pop(ty)?;
        }
        Ok(())
    }

    /// Checks that the top operands have these types, without popping them.
    fn check_top(&self, types: &[ValType]) -> Result<()> {
        let frame = self.frame()?;
        let available = self.operands.len() - frame.height;
        for (depth, &expected) in types.iter().rev().enumerate() {
            if depth >= available {
                if frame.unreachable {
                    return Ok(()); // the rest are of unknown type
                }
                return Err(self.error("type mismatch: operand stack is empty"));
            }
            let actual = self.operands[self.operands.len() - 1 - depth];
            if actual.is_some_and(|t| t != expected) {
                return Err(self.type_mismatch(expected, actual));
            }
        }
        Ok(())
    }

    fn pop_ref(&mut self) -> Result<MaybeType> {
        let actual = self.pop_any()?;
        match actual {
            Some(t) if !t.is_ref() => Err(self.type_mismatch("a reference", actual)),
            _ => Ok(actual),
        }
    }

    fn push_frame(&mut self, kind: FrameKind, params: Vec<ValType>, results: Vec<ValType>) {
        self.push_all(&params);
        let height = self.operands.len() - params.len();
        self.frames.push(ControlFrame {
            kind,
            params,
            results,
            height,
            unreachable: false,
        });
    }

    fn pop_frame(&mut self) -> Result<ControlFrame> {
        let results = self.frame()?.results.clone();
        self.pop_all(&results)?;
        let frame = self
            .frames
            .pop()
            .ok_or_else(|| self.error("operators remaining after end of function"))?;
        if self.operands.len() != frame.height {
            return Err(
                self.error("type mismatch: values remaining on the stack at the end of a block")
            );
        }
        Ok(frame)
    }

    fn set_unreachable(&mut self) -> Result<()> {
        let height = self.frame()?.height;
        self.operands.truncate(height);
        if let Some(frame) = self.frames.last_mut() {
            frame.unreachable = true;
        }
        Ok(())
    }

    fn block_signature(&self, ty: BlockType) -> Result<(Vec<ValType>, Vec<ValType>)> {
        match ty {
            BlockType::Empty => Ok((vec![], vec![])),
            BlockType::Value(t) => Ok((vec![], vec![t])),
            BlockType::Func(index) => {
                let ty = self
                    .module
                    .types
                    .get(index as usize)
                    .ok_or_else(|| self.error("unknown type"))?;
                Ok((ty.params.clone(), ty.results.clone()))
            }
        }
    }

    fn label_types(&self, depth: u32) -> Result<Vec<ValType>> {
        let frame = (self.frames.len().checked_sub(1))
            .and_then(|top| top.checked_sub(depth as usize))
            .and_then(|index| self.frames.get(index))
            .ok_or_else(|| self.error("unknown label"))?;
        Ok(frame.label_types().to_vec())
    }

    fn check_memory(&self, memory: u32) -> Result<()> {
        match self.module.memory_type(memory) {
            Some(_) => Ok(()),
            None => Err(self.error(format!("unknown memory {memory}"))),
        }
    }

    fn table_element(&self, table: u32) -> Result<ValType> {
        match self.module.table_type(table) {
            Some(t) => Ok(t.element.into()),
            None => Err(self.error(format!("unknown table {table}"))),
        }
    }

    fn elem_segment_type(&self, elem: u32) -> Result<ValType> {
        match self.module.elements.get(elem as usize) {
            Some(segment) => Ok(segment.ty.into()),
            None => Err(self.error(format!("unknown elem segment {elem}"))),
        }
    }

    fn check_data_segment(&self, data: u32) -> Result<()> {
        let count = self
            .module
            .data_count
            .ok_or_else(|| self.error("data count section required"))?;
        if data >= count {
            return Err(self.error(format!("unknown data segment {data}")));
        }
        Ok(())
    }

    fn global_type(&self, index: u32) -> Result<crate::decode::GlobalType> {
        self.module
            .global_type(index)
            .ok_or_else(|| self.error(format!("unknown global {index}")))
    }

    fn local(&self, index: u32) -> Result<ValType> {
        self.local_type(index)
            .ok_or_else(|| self.error(format!("unknown local {index}")))
    }

    /// Validates one instruction found at `offset`.
    pub fn visit(&mut self, op: &Operator, offset: usize) -> Result<()> {
        use Operator::*;
        self.offset = offset;
        if self.frames.is_empty() {
            return Err(self.error("operators remaining after end of function"));
        }
        if let Some((params, results)) = op.fixed_signature() {
            if let Some((memarg, natural)) = op.memarg() {
                self.check_memory(memarg.memory)?;
                if memarg.align > natural {
                    return Err(self.error("alignment must not be larger than natural"));
                }
            }
            if let Some((lane, lanes)) = op.lane() {
                if lane >= lanes {
                    return Err(self.error("invalid lane index"));
                }
            }
            self.pop_all(params)?;
            self.push_all(results);
            return Ok(());
        }
        match *op {
            Unreachable => self.set_unreachable()?,
            Block { ty } | Loop { ty } | If { ty } => {
                let (params, results) = self.block_signature(ty)?;
                let kind = match op {
                    Block { .. } => FrameKind::Block,
                    Loop { .. } => FrameKind::Loop,
                    _ => {
                        self.pop(ValType::I32)?;
                        FrameKind::If
                    }
                };
                self.pop_all(&params)?;
                self.push_frame(kind, params, results);
            }
            Else => {
                let frame = self.pop_frame()?;
                if frame.kind != FrameKind::If {
                    return Err(self.error("else without a matching if"));
                }
                self.push_frame(FrameKind::Else, frame.params, frame.results);
            }
            End => {
                let frame = self.pop_frame()?;
                if frame.kind == FrameKind::If && frame.params != frame.results {
                    return Err(
                        self.error("type mismatch: if without else must leave its parameters")
                    );
                }
                self.push_all(&frame.results);
            }
            Br { depth } => {
                let types = self.label_types(depth)?;
                self.pop_all(&types)?;
                self.set_unreachable()?;
            }
            BrIf { depth } => {
                self.pop(ValType::I32)?;
                let types = self.label_types(depth)?;
                self.pop_all(&types)?;
                self.push_all(&types);
            }
            BrTable {
                ref targets,
                default,
            } => {
                self.pop(ValType::I32)?;
                let default_types = self.label_types(default)?;
                for &target in targets {
                    let types = self.label_types(target)?;
                    if types.len() != default_types.len() {
                        return Err(
                            self.error("type mismatch: br_table targets of different arity")
                        );
                    }
                    self.check_top(&types)?;
                }
                self.pop_all(&default_types)?;
                self.set_unreachable()?;
            }
            Return => {
                let results = self.frames[0].results.clone();
                self.pop_all(&results)?;
                self.set_unreachable()?;
            }
            Call { func } => {
                let ty = self
                    .module
                    .func_type(func)
                    .ok_or_else(|| self.error(format!("unknown function {func}")))?;
                self.pop_all(&ty.params)?;
                self.push_all(&ty.results);
            }
            CallIndirect { type_index, table } => {
                if self.table_element(table)? != ValType::FuncRef {
                    return Err(
                        self.error("type mismatch: call_indirect through a table of externref")
                    );
                }
                let ty = self
                    .module
                    .types
                    .get(type_index as usize)
                    .ok_or_else(|| self.error("unknown type"))?;
                self.pop(ValType::I32)?;
                self.pop_all(&ty.params)?;
                self.push_all(&ty.results);
            }
            Drop => {
                self.pop_any()?;
            }
            Select => {
                self.pop(ValType::I32)?;
                let first = self.pop_any()?;
                let second = self.pop_any()?;
                for t in [first, second].into_iter().flatten() {
                    if t.is_ref() {
                        return Err(self.type_mismatch("a numeric or vector type", Some(t)));
                    }
                }
                if let (Some(a), Some(b)) = (first, second) {
                    if a != b {
                        return Err(self.type_mismatch(a, Some(b)));
                    }
                }
                self.operands.push(first.or(second));
            }
            TypedSelect { ty } => {
                self.pop(ValType::I32)?;
                self.pop(ty)?;
                self.pop(ty)?;
                self.push(ty);
            }
            LocalGet { index } => {
                let ty = self.local(index)?;
                self.push(ty);
            }
            LocalSet { index } => {
                let ty = self.local(index)?;
                self.pop(ty)?;
            }
            LocalTee { index } => {
                let ty = self.local(index)?;
                self.pop(ty)?;
                self.push(ty);
            }
            GlobalGet { index } => {
                let global = self.global_type(index)?;
                self.push(global.ty);
            }
            GlobalSet { index } => {
                let global = self.global_type(index)?;
                if !global.mutable {
                    return Err(self.error("global is immutable"));
                }
                self.pop(global.ty)?;
            }
            TableGet { table } => {
                let element = self.table_element(table)?;
                self.pop(ValType::I32)?;
                self.push(element);
            }
            TableSet { table } => {
                let element = self.table_element(table)?;
                self.pop(element)?;
                self.pop(ValType::I32)?;
            }
            TableInit { elem, table } => {
                let element = self.table_element(table)?;
                if self.elem_segment_type(elem)? != element {
                    return Err(self.error("type mismatch: element segment and table types differ"));
                }
                self.pop_all(&[ValType::I32; 3])?;
            }
            ElemDrop { elem } => {
                self.elem_segment_type(elem)?;
            }
            TableCopy {
                dst_table,
                src_table,
            } => {
                if self.table_element(dst_table)? != self.table_element(src_table)? {
                    return Err(
                        self.error("type mismatch: table.copy between tables of different types")
                    );
                }
                self.pop_all(&[ValType::I32; 3])?;
            }
            TableGrow { table } => {
                let element = self.table_element(table)?;
                self.pop(ValType::I32)?;
                self.pop(element)?;
                self.push(ValType::I32);
            }
            TableSize { table } => {
                self.table_element(table)?;
                self.push(ValType::I32);
            }
            TableFill { table } => {
                let element = self.table_element(table)?;
                self.pop(ValType::I32)?;
                self.pop(element)?;
                self.pop(ValType::I32)?;
            }
            MemorySize { memory } => {
                self.check_memory(memory)?;
                self.push(ValType::I32);
            }
            MemoryGrow { memory } => {
                self.check_memory(memory)?;
                self.pop(ValType::I32)?;
                self.push(ValType::I32);
            }
            MemoryInit { data, memory } => {
                self.check_memory(memory)?;
                self.check_data_segment(data)?;
                self.pop_all(&[ValType::I32; 3])?;
            }
            DataDrop { data } => self.check_data_segment(data)?,
            MemoryCopy {
                dst_memory,
                src_memory,
            } => {
                self.check_memory(dst_memory)?;
                self.check_memory(src_memory)?;
                self.pop_all(&[ValType::I32; 3])?;
            }
            MemoryFill { memory } => {
                self.check_memory(memory)?;
                self.pop_all(&[ValType::I32; 3])?;
            }
            I32Const { .. } => self.push(ValType::I32),
            I64Const { .. } => self.push(ValType::I64),
            F32Const { .. } => self.push(ValType::F32),
            F64Const { .. } => self.push(ValType::F64),
            V128Const { .. } => self.push(ValType::V128),
            RefNull { ty } => self.push(ty.into()),
            RefIsNull => {
                self.pop_ref()?;
                self.push(ValType::I32);
            }
            RefFunc { func } => {
                if func >= self.module.num_funcs() {
                    return Err(self.error(format!("unknown function {func}")));
                }
                if !self.module.declared_func_refs().contains(&func) {
                    return Err(self.error("undeclared function reference"));
                }
                self.push(ValType::FuncRef);
            }
            I8x16Shuffle { lanes } => {
                if lanes.iter().any(|&lane| lane >= 32) {
                    return Err(self.error("invalid lane index"));
                }
                self.pop_all(&[ValType::V128; 2])?;
                self.push(ValType::V128);
            }
            // Every other instruction has a fixed signature, handled above.
            _ => return Err(self.error(format!("{}: no validation rule", op.name()))),
        }
        Ok(())
    }

    /// Checks that the body ended exactly with the function's final `end`; `offset` is the end
    /// of the body.
    pub fn finish(&self, offset: usize) -> Result<()> {
        if !self.frames.is_empty() {
            return Err(Error::at(
                offset,
                "unexpected end of section or function: END opcode expected",
            ));
        }
        Ok(())
    }
}
