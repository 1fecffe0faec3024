//! Structured control flow: `block`, `loop`, `if`/`else`, `end`, branches and `return`.
//!
//! Frames are only pushed for constructs met in reachable code (unreachable ones are skipped
//! whole), so every frame's entry is reachable. Block results become parameters of the join
//! block after `end`; loop parameters become parameters of the loop header. The arms of an
//! `if` need no parameters: the `if`'s operands stay on the operand stack and dominate both.

use super::function::Translator;
use crate::decode::BlockType;
use crate::error::Result;
use crate::ir::{Block, BlockCall, Inst, InstData, IntCC, TrapCode, Type, Value};

pub(super) enum FrameKind {
    /// The function body: its label is the return block.
    Function,
    Block,
    Loop,
    If {
        /// The `brif` that chose the arm, and the block it is in: without an `else`, its
        /// else edge is redirected to the join block.
        branch: Inst,
        branch_block: Block,
        else_block: Block,
        /// The operands of the `if`, which the `else` arm starts from.
        params: Vec<Value>,
        seen_else: bool,
    },
}

pub(super) struct Frame {
    pub kind: FrameKind,
    /// Where a branch to this label goes: the loop header, or the join block.
    pub label: Block,
    /// The types a branch to this label carries.
    pub label_types: Vec<Type>,
    /// The join block after `end` (for a loop, unused: its end falls through in place).
    pub join: Block,
    pub results: Vec<Type>,
    /// Operand stack height below the frame's parameters.
    pub height: usize,
}

impl Translator<'_> {
    pub(super) fn push_function_frame(&mut self, results: Vec<Type>) {
        let (join, _) = self.b.create_block_with_params(&results);
        let frame =
            Frame { kind: FrameKind::Function, label: join, label_types: results.clone(), join, results, height: 0 };
        self.frames.push(frame);
    }

    /// The parameter and result types of a block type.
    fn block_signature(&self, ty: BlockType) -> Result<(Vec<Type>, Vec<Type>)> {
        match ty {
            BlockType::Empty => Ok((Vec::new(), Vec::new())),
            BlockType::Value(t) => Ok((Vec::new(), vec![super::ir_type(t)])),
            BlockType::Func(index) => {
                let ft = self.module.types.get(index as usize).ok_or_else(|| self.error("unknown block type"))?;
                Ok((Self::ir_types(&ft.params), Self::ir_types(&ft.results)))
            }
        }
    }

    pub(super) fn translate_block(&mut self, ty: BlockType) -> Result<()> {
        let (params, results) = self.block_signature(ty)?;
        let height = self.stack_height_below(params.len())?;
        let (join, _) = self.b.create_block_with_params(&results);
        let frame = Frame { kind: FrameKind::Block, label: join, label_types: results.clone(), join, results, height };
        self.frames.push(frame);
        Ok(())
    }

    pub(super) fn translate_loop(&mut self, ty: BlockType) -> Result<()> {
        let (params, results) = self.block_signature(ty)?;
        let args = self.pop_n(params.len())?;
        let height = self.stack.len();
        let (header, header_params) = self.b.create_block_with_params(&params);
        self.b.jump(header, args);
        self.b.switch_to(header);
        self.stack.extend(header_params);
        let frame = Frame { kind: FrameKind::Loop, label: header, label_types: params, join: header, results, height };
        self.frames.push(frame);
        Ok(())
    }

    pub(super) fn translate_if(&mut self, ty: BlockType) -> Result<()> {
        let (params, results) = self.block_signature(ty)?;
        let cond = self.pop()?;
        let height = self.stack_height_below(params.len())?;
        let if_params = self.stack[height..].to_vec();
        let (join, _) = self.b.create_block_with_params(&results);
        let then_block = self.b.create_block();
        let else_block = self.b.create_block();
        let branch_block = self.b.block;
        let branch = self.b.brif(cond, call(then_block, Vec::new()), call(else_block, Vec::new()));
        self.b.seal(then_block);
        self.b.seal(else_block);
        self.b.switch_to(then_block);
        let kind = FrameKind::If { branch, branch_block, else_block, params: if_params, seen_else: false };
        self.frames.push(Frame { kind, label: join, label_types: results.clone(), join, results, height });
        Ok(())
    }

    pub(super) fn translate_else(&mut self) -> Result<()> {
        self.end_arm()?;
        let frame = self.frames.last_mut().ok_or_else(|| crate::Error::msg("`else` outside a frame"))?;
        let FrameKind::If { else_block, params, seen_else, .. } = &mut frame.kind else {
            return Err(self.error("`else` without `if`"));
        };
        *seen_else = true;
        let (else_block, params, height) = (*else_block, params.clone(), frame.height);
        self.stack.truncate(height);
        self.stack.extend(params);
        self.b.switch_to(else_block);
        self.reachable = true;
        Ok(())
    }

    /// Leave the current arm of a block-like frame: jump to the join with the results.
    fn end_arm(&mut self) -> Result<()> {
        if self.reachable {
            let frame = self.frames.last().ok_or_else(|| self.error("unbalanced `end`"))?;
            let (join, n) = (frame.join, frame.results.len());
            let results = self.pop_n(n)?;
            self.b.jump(join, results);
        }
        self.reachable = false;
        Ok(())
    }

    pub(super) fn translate_end(&mut self) -> Result<()> {
        let Some(top) = self.frames.last() else { return Err(self.error("unbalanced `end`")) };
        if let FrameKind::Loop = top.kind {
            let frame = self.frames.pop().ok_or_else(|| self.error("unbalanced `end`"))?;
            self.b.seal(frame.label);
            if !self.reachable {
                self.stack.truncate(frame.height);
            }
            return Ok(());
        }
        if matches!(top.kind, FrameKind::Function) && self.reachable && self.b.ssa.pred_count(top.join) == 0 {
            // Falling off the end with no branch to the function's label: return in place.
            let n = top.results.len();
            let results = self.pop_n(n)?;
            self.b.ins(InstData::Return { args: results }, &[]);
            self.frames.pop();
            self.reachable = false;
            return Ok(());
        }
        self.end_arm()?;
        let frame = self.frames.pop().ok_or_else(|| self.error("unbalanced `end`"))?;
        if let FrameKind::If { branch, branch_block, else_block, params, seen_else: false } = frame.kind {
            // No `else`: the false edge carries the `if`'s operands straight to the join.
            self.b.redirect_else_edge(branch_block, branch, else_block, frame.join, params);
        }
        self.stack.truncate(frame.height);
        self.b.seal(frame.join);
        if self.b.ssa.pred_count(frame.join) > 0 {
            self.b.switch_to(frame.join);
            let params = self.b.func.blocks[frame.join.index()].params.clone();
            self.reachable = true;
            if self.frames.is_empty() {
                self.b.ins(InstData::Return { args: params }, &[]);
                self.reachable = false;
            } else {
                self.stack.extend(params);
            }
        }
        Ok(())
    }

    /// The frame `depth` labels out.
    fn frame_at(&self, depth: u32) -> Result<&Frame> {
        let n = self.frames.len();
        (depth as usize)
            .checked_add(1)
            .and_then(|d| n.checked_sub(d))
            .and_then(|i| self.frames.get(i))
            .ok_or_else(|| self.error("branch to an unknown label"))
    }

    pub(super) fn translate_br(&mut self, depth: u32) -> Result<()> {
        let frame = self.frame_at(depth)?;
        let (label, n, is_function) = (frame.label, frame.label_types.len(), matches!(frame.kind, FrameKind::Function));
        let args = self.peek_n(n)?;
        if is_function {
            self.b.ins(InstData::Return { args }, &[]);
        } else {
            self.b.jump(label, args);
        }
        self.reachable = false;
        Ok(())
    }

    pub(super) fn translate_br_if(&mut self, depth: u32) -> Result<()> {
        let cond = self.pop()?;
        let frame = self.frame_at(depth)?;
        let (label, n) = (frame.label, frame.label_types.len());
        let args = self.peek_n(n)?;
        let next = self.b.create_block();
        self.b.brif(cond, call(label, args), call(next, Vec::new()));
        self.b.seal(next);
        self.b.switch_to(next);
        Ok(())
    }

    /// `br_table` targets take no arguments in the IR, and a target may still gain SSA
    /// parameters later, so each distinct label gets an edge block that jumps to it.
    /// `br_table`; tables of up to [`MAX_CHAINED_TABLE`] entries become compares and branches.
    pub(super) fn translate_br_table(&mut self, targets: &[u32], default: u32) -> Result<()> {
        let index = self.pop()?;
        let mut edges: Vec<(u32, Block)> = Vec::new();
        let mut edge_for = |depth: u32, b: &mut super::builder::FuncBuilder| -> Block {
            if let Some(&(_, e)) = edges.iter().find(|(d, _)| *d == depth) {
                return e;
            }
            let e = b.create_block();
            edges.push((depth, e));
            e
        };
        if targets.len() <= MAX_CHAINED_TABLE {
            // A chain of compares: each conditional branch is predicted on its own, where one
            // indirect jump through a table would be predicted for all of them.
            for (i, &t) in targets.iter().enumerate() {
                let k = self.b.iconst(Type::I32, i as i64);
                let is_i = self.b.ins1(InstData::Icmp { cond: IntCC::Eq, ty: Type::I32, args: [index, k] }, Type::I32);
                let taken = edge_for(t, &mut self.b);
                let last = i + 1 == targets.len();
                let next = if last { edge_for(default, &mut self.b) } else { self.b.create_block() };
                self.b.brif(is_i, call(taken, Vec::new()), call(next, Vec::new()));
                if !last {
                    self.b.seal(next);
                    self.b.switch_to(next);
                }
            }
            if targets.is_empty() {
                let e = edge_for(default, &mut self.b);
                self.b.jump(e, Vec::new());
            }
            for &(_, e) in &edges {
                self.b.seal(e);
            }
        } else {
            let table: Vec<Block> = targets.iter().map(|&d| edge_for(d, &mut self.b)).collect();
            let default_block = edge_for(default, &mut self.b);
            let from = self.b.block;
            let inst = self.b.ins(InstData::BrTable { index, targets: table, default: default_block }, &[]);
            for &(_, e) in &edges {
                self.b.add_edge(from, inst, 0, e);
                self.b.seal(e);
            }
        }
        for (depth, e) in edges {
            self.b.switch_to(e);
            self.reachable = true;
            self.translate_br(depth)?;
        }
        self.reachable = false;
        Ok(())
    }

    pub(super) fn translate_return(&mut self) -> Result<()> {
        let depth = self.frames.len().checked_sub(1).ok_or_else(|| self.error("`return` outside the function"))?;
        self.translate_br(depth as u32)
    }

    pub(super) fn translate_unreachable(&mut self) {
        self.b.ins(InstData::Trap { code: TrapCode::Unreachable }, &[]);
        self.reachable = false;
    }

    /// The stack height below the top `n` values of the current frame.
    fn stack_height_below(&self, n: usize) -> Result<usize> {
        let floor = self.frames.last().map_or(0, |f| f.height);
        self.stack.len().checked_sub(n).filter(|&h| h >= floor).ok_or_else(|| self.error("operand stack underflow"))
    }
}

/// The longest `br_table` translated as a chain of compares rather than a jump table.
pub const MAX_CHAINED_TABLE: usize = 3;

fn call(block: Block, args: Vec<Value>) -> BlockCall {
    BlockCall { block, args }
}
