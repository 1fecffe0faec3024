//! Translation of our operand types into iced-x86's, kept in one place so the public API
//! never exposes iced types.

use iced_x86::{MemoryOperand, Register};

use crate::inst::{Scale, Size};
use crate::regs::{Gpr, Xmm};

const GPR8: [Register; 16] = {
    use Register::*;
    [AL, CL, DL, BL, SPL, BPL, SIL, DIL, R8L, R9L, R10L, R11L, R12L, R13L, R14L, R15L]
};
const GPR16: [Register; 16] = {
    use Register::*;
    [AX, CX, DX, BX, SP, BP, SI, DI, R8W, R9W, R10W, R11W, R12W, R13W, R14W, R15W]
};
const GPR32: [Register; 16] = {
    use Register::*;
    [EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI, R8D, R9D, R10D, R11D, R12D, R13D, R14D, R15D]
};
const GPR64: [Register; 16] = {
    use Register::*;
    [RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15]
};
const XMM: [Register; 16] = {
    use Register::*;
    [XMM0, XMM1, XMM2, XMM3, XMM4, XMM5, XMM6, XMM7, XMM8, XMM9, XMM10, XMM11, XMM12, XMM13, XMM14, XMM15]
};

/// `reg` viewed at operand size `size` (`Rax` at `S8` is `al`; `Rsi` at `S8` is `sil`).
pub(crate) fn gpr(reg: Gpr, size: Size) -> Register {
    let table = match size {
        Size::S8 => &GPR8,
        Size::S16 => &GPR16,
        Size::S32 => &GPR32,
        Size::S64 => &GPR64,
    };
    table[usize::from(reg.hw())]
}

pub(crate) fn gpr64(reg: Gpr) -> Register {
    gpr(reg, Size::S64)
}

pub(crate) fn xmm(reg: Xmm) -> Register {
    XMM[usize::from(reg.hw())]
}

/// A register-based address as iced wants it, with the shortest displacement field.
/// RIP-relative (label) addresses are built by the assembler, which knows the current offset.
pub(crate) fn reg_mem(base: Gpr, index: Option<(Gpr, Scale)>, disp: i32) -> MemoryOperand {
    let (index, scale) = match index {
        Some((index, scale)) => (gpr64(index), scale.factor()),
        None => (Register::None, 1),
    };
    // iced's displacement sizes: 0 none, 1 disp8, 8 "address-sized" (disp32 in 64-bit mode).
    let displ_size = if disp == 0 {
        0
    } else if i8::try_from(disp).is_ok() {
        1
    } else {
        8
    };
    MemoryOperand {
        segment_prefix: Register::None,
        base: gpr64(base),
        index,
        scale,
        displacement: i64::from(disp),
        displ_size,
        is_broadcast: false,
    }
}

/// `[index * scale + disp32]`: without a base the displacement field is always 4 bytes.
pub(crate) fn index_mem(index: Gpr, scale: Scale, disp: i32) -> MemoryOperand {
    MemoryOperand {
        base: Register::None,
        displ_size: 8,
        ..reg_mem(index, Some((index, scale)), disp)
    }
}

/// `[rip + target]` where `target` is an absolute address in iced's view.
pub(crate) fn rip_mem(target: u64) -> MemoryOperand {
    MemoryOperand {
        segment_prefix: Register::None,
        base: Register::RIP,
        index: Register::None,
        scale: 1,
        displacement: target as i64,
        displ_size: 8,
        is_broadcast: false,
    }
}
