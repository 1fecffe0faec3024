//! Labels and branch fix-ups, calls and relocations, jump tables, the constant pool, padding.

use crate::common::*;
use target_x86_64::*;

fn read_i32(code: &[u8], at: u32) -> i32 {
    let at = at as usize;
    i32::from_le_bytes(code[at..at + 4].try_into().unwrap())
}

#[test]
fn forward_branches_use_rel32_and_land_on_the_label() {
    let out = assemble(|a| {
        let target = a.new_label();
        a.jmp(target); // 0..5
        a.jcc(Cond::LE, target); // 5..11
        a.int3(); // 11
        a.bind_label(target); // 12
        a.ret();
    });
    assert_eq!(disasm(&out.code), ["jmp 0xc", "jle 0xc", "int3", "ret"]);
    assert_eq!(out.code.len(), 13);
}

#[test]
fn backward_branches_within_reach_use_rel8() {
    let out = assemble(|a| {
        let top = a.new_label();
        a.bind_label(top);
        a.nop(100);
        a.jcc(Cond::NE, top); // 100..102, reaches -102
        a.jmp(top); // 102..104
    });
    assert_eq!(&disasm(&out.code)[disasm(&out.code).len() - 2..], ["jne short 0", "jmp short 0"]);
    assert_eq!(out.code.len(), 104);
}

#[test]
fn backward_branches_out_of_rel8_reach_use_rel32() {
    for distance in [126usize, 127, 128, 129, 1000] {
        let out = assemble(|a| {
            let top = a.new_label();
            a.bind_label(top);
            a.nop(distance);
            a.jmp(top);
        });
        let jump = disasm(&out.code).pop().unwrap();
        // A rel8 jump reaches back 128 bytes from its end, i.e. 126 bytes of code before it.
        if distance <= 126 {
            assert_eq!((jump.as_str(), out.code.len()), ("jmp short 0", distance + 2));
        } else {
            assert_eq!((jump.as_str(), out.code.len()), ("jmp 0", distance + 5));
        }
    }
}

#[test]
fn every_condition_code_branches_both_ways() {
    for cond in Cond::ALL {
        let out = assemble(|a| {
            let top = a.new_label();
            let end = a.new_label();
            a.bind_label(top);
            a.jcc(cond, end); // 0..6
            a.jcc(cond, top); // 6..8
            a.bind_label(end);
        });
        let lines = disasm(&out.code);
        let mnemonic = lines[0].split(' ').next().unwrap().to_string();
        assert!(mnemonic.starts_with('j'), "{lines:?}");
        assert_eq!(lines, [format!("{mnemonic} 8"), format!("{mnemonic} short 0")]);
        assert_eq!(out.code[1], 0x80 | cond.bits());
        assert_eq!(out.code[6], 0x70 | cond.bits());
    }
}

#[test]
fn label_offsets_are_reported() {
    let out = assemble(|a| {
        let first = a.new_label();
        let second = a.new_label();
        let unused = a.new_label();
        a.bind_label(first);
        a.push(Gpr::Rbp); // 1 byte
        a.mov_rr(Size::S64, Gpr::Rbp, Gpr::Rsp); // 3 bytes
        assert_eq!(a.offset(), 4);
        a.bind_label(second);
        a.ret();
        assert_eq!(a.label_offset(second), Some(4));
        assert_eq!(a.label_offset(unused), None);
    });
    assert_eq!(out.label_offset(Label::from_index(0)), Some(0));
    assert_eq!(out.label_offset(Label::from_index(1)), Some(4));
    assert_eq!(out.label_offset(Label::from_index(2)), None);
}

#[test]
fn label_misuse_is_an_error() {
    let unbound = error(|a| {
        let l = a.new_label();
        a.jmp(l);
    });
    assert!(unbound.contains("never bound"), "{unbound}");
    let twice = error(|a| {
        let l = a.new_label();
        a.bind_label(l);
        a.bind_label(l);
    });
    assert!(twice.contains("bound twice"), "{twice}");
    let foreign = {
        let mut other = Assembler::new();
        (0..5).map(|_| other.new_label()).last().unwrap()
    };
    assert!(error(|a| a.jmp(foreign)).contains("does not belong"));
    assert!(error(|a| a.bind_label(foreign)).contains("does not belong"));
    assert!(error(|a| a.jcc_short(Cond::E, foreign)).contains("does not belong"));
    assert!(error(|a| a.load_zx(Size::S32, Gpr::Rax, Mem::label(foreign))).contains("does not belong"));
}

#[test]
fn calls_to_symbols_record_plt_relocations() {
    let out = assemble(|a| {
        a.push(Gpr::Rbx); // 0..1
        a.call_symbol(7); // 1..6
        a.call_symbol(42); // 6..11
    });
    assert_eq!(&out.code[1..], [0xe8, 0, 0, 0, 0, 0xe8, 0, 0, 0, 0]);
    assert_eq!(
        out.relocs,
        [
            Reloc { offset: 2, kind: RelocKind::Plt32, symbol: 7, addend: -4 },
            Reloc { offset: 7, kind: RelocKind::Plt32, symbol: 42, addend: -4 },
        ]
    );
}

#[test]
fn symbol_addresses_record_pc_relative_and_absolute_relocations() {
    for reg in [Gpr::Rax, Gpr::Rdi, Gpr::R8, Gpr::R15] {
        let out = assemble(|a| {
            a.lea_symbol(reg, 3); // 0..7, field at 3
            a.mov_symbol_abs(reg, 4); // 7..17, field at 9
        });
        let r = name(reg, Size::S64);
        // With the fields still zero, the lea points at its own end.
        assert_eq!(disasm(&out.code), [format!("lea {r}, [7]"), format!("mov {r}, 0")]);
        assert_eq!(
            out.relocs,
            [
                Reloc { offset: 3, kind: RelocKind::PcRel32, symbol: 3, addend: -4 },
                Reloc { offset: 9, kind: RelocKind::Abs64, symbol: 4, addend: 0 },
            ]
        );
    }
}

#[test]
fn local_and_indirect_calls_and_jumps() {
    let out = assemble(|a| {
        let callee = a.new_label();
        a.call_label(callee); // 0..5
        a.call_reg(Gpr::R11); // 5..8
        a.call_mem(Mem::base_disp(Gpr::Rdi, 0x40)); // 8..11
        a.jmp_reg(Gpr::Rax); // 11..13
        a.bind_label(callee);
        a.ud2();
        a.call_label(callee);
    });
    assert_eq!(disasm(&out.code), ["call 0xd", "call r11", "call qword ptr [rdi+0x40]", "jmp rax", "ud2", "call 0xd"]);
}

#[test]
fn jump_table_entries_are_relative_to_the_table() {
    let out = assemble(|a| {
        let table = a.new_label();
        let cases: Vec<Label> = (0..3).map(|_| a.new_label()).collect();
        a.jump_table_dispatch(table, Gpr::Rdi, Gpr::Rax);
        for &case in &cases {
            a.bind_label(case);
            a.int3();
        }
        a.emit_jump_table(table, &[cases[2], cases[0], cases[1], cases[2]]);
    });
    let code = &out.code;
    let table = out.label_offset(Label::from_index(0)).unwrap();
    assert_eq!(table % 4, 0);
    assert_eq!(code.len() as u32, table + 16);
    let case = |n: u32| out.label_offset(Label::from_index(1 + n)).unwrap() as i32 - table as i32;
    let entries: Vec<i32> = (0..4).map(|k| read_i32(code, table + 4 * k)).collect();
    assert_eq!(entries, [case(2), case(0), case(1), case(2)]);
    let lines = disasm(&code[..table as usize]);
    assert_eq!(
        &lines[..4],
        [format!("lea rax, [{table:#x}]"), "movsxd rdi, [rax+rdi*4]".into(), "add rax, rdi".into(), "jmp rax".into()]
    );
}

#[test]
fn constant_pool_is_deduplicated_aligned_and_addressed() {
    let mut mems = Vec::new();
    let out = assemble(|a| {
        let f32_one = a.const_u32(0x3f80_0000);
        let sign_mask = a.const_u128(0x8000_0000_8000_0000_8000_0000_8000_0000);
        let f64_one = a.const_u64(0x3ff0_0000_0000_0000);
        assert_eq!(a.const_u32(0x3f80_0000), f32_one, "equal constants share a slot");
        a.load_float(FloatSize::F32, Xmm::Xmm0, f32_one);
        a.bitwise_rm(BitwiseOp::Xor, Xmm::Xmm0, sign_mask);
        a.load_float(FloatSize::F64, Xmm::Xmm8, f64_one);
        a.ret();
        mems.extend([f32_one, sign_mask, f64_one]);
    });
    let offset = |mem: Mem| match mem.base {
        Base::Label(label) => out.label_offset(label).unwrap(),
        Base::Reg(_) | Base::None => unreachable!("pool constants are RIP-relative"),
    };
    let [f32_one, sign_mask, f64_one] = [mems[0], mems[1], mems[2]].map(offset);
    // Widest first from a 16-byte boundary: every constant is naturally aligned.
    assert_eq!(sign_mask % 16, 0);
    assert_eq!((f64_one, f32_one), (sign_mask + 16, sign_mask + 24));
    assert_eq!(out.code.len() as u32, f32_one + 4);
    let bytes = |at: u32, n: usize| out.code[at as usize..at as usize + n].to_vec();
    assert_eq!(bytes(f32_one, 4), 0x3f80_0000u32.to_le_bytes());
    assert_eq!(bytes(f64_one, 8), 0x3ff0_0000_0000_0000u64.to_le_bytes());
    assert_eq!(bytes(sign_mask, 16), 0x8000_0000_8000_0000_8000_0000_8000_0000u128.to_le_bytes());
    let lines = disasm(&out.code[..sign_mask as usize]);
    assert_eq!(
        &lines[..4],
        [
            format!("movss xmm0, [{f32_one:#x}]"),
            format!("xorps xmm0, [{sign_mask:#x}]"),
            format!("movsd xmm8, [{f64_one:#x}]"),
            "ret".into()
        ]
    );
    assert!(lines[4..].iter().all(|l| l == "int3"), "padding is int3: {lines:?}");
}

#[test]
fn nops_fill_exactly_and_align_pads_to_the_boundary() {
    for len in 0..=30 {
        let out = assemble(|a| a.nop(len));
        assert_eq!(out.code.len(), len);
        // `66 90`, the 2-byte NOP, decodes as its architectural meaning.
        let is_nop = |l: &String| l.starts_with("nop") || l == "xchg ax, ax";
        assert!(disasm(&out.code).iter().all(is_nop), "{len}: {:?}", disasm(&out.code));
        assert_eq!(disasm(&out.code).len(), len.div_ceil(9));
    }
    for start in 0..20 {
        let out = assemble(|a| {
            a.nop(start);
            a.align(16);
        });
        assert_eq!(out.code.len(), start.next_multiple_of(16));
    }
    assert!(error(|a| a.align(12)).contains("power of two"));
}

#[test]
fn simple_instructions() {
    assert_eq!(
        lines(|a| {
            a.ret();
            a.ud2();
            a.int3();
        }),
        ["ret", "ud2", "int3"]
    );
}

#[test]
fn short_branches_on_request_reach_the_ends_of_rel8_range() {
    let out = assemble(|a| {
        let target = a.new_label();
        a.jcc_short(Cond::P, target); // 0..2: +127, the farthest forward
        a.nop(125); // 2..127
        a.jmp_short(target); // 127..129: +0
        a.bind_label(target); // 129
        a.nop(126); // 129..255
        a.jmp_short(target); // 255..257: -128, the farthest back
    });
    let lines = disasm(&out.code);
    assert_eq!(lines.first().unwrap(), "jp short 0x81");
    assert_eq!(lines.last().unwrap(), "jmp short 0x81");
    assert_eq!((out.code[1], out.code[128], out.code[256]), (127, 0, 0x80));
    assert_eq!(out.code.len(), 257);
}

#[test]
fn short_branches_out_of_range_are_errors() {
    let forward = error(|a| {
        let target = a.new_label();
        a.jmp_short(target);
        a.nop(128);
        a.bind_label(target);
    });
    assert!(forward.contains("rel8"), "{forward}");
    let backward = error(|a| {
        let target = a.new_label();
        a.bind_label(target);
        a.nop(127);
        a.jcc_short(Cond::E, target);
    });
    assert!(backward.contains("rel8"), "{backward}");
}

#[test]
fn listing_shows_offsets_and_leaves_the_pool_out() {
    let out = assemble(|a| {
        let one = a.const_u64(1.0f64.to_bits());
        a.load_float(FloatSize::F64, Xmm::Xmm0, one); // 0..8
        a.ret(); // 8
    });
    assert_eq!(out.pool_start, 9);
    assert_eq!(out.code.len(), 24);
    assert_eq!(out.disassemble(), "     0: movsd xmm0, [0x10]\n     8: ret\n");
    let without_pool = assemble(|a| a.ret());
    assert_eq!(without_pool.pool_start, 1);
    assert_eq!(without_pool.disassemble(), "     0: ret\n");
}

#[test]
fn assembler_output_can_cross_threads() {
    fn sendable<T: Send + Sync>() {}
    sendable::<Assembled>();
    sendable::<AsmError>();
    // Each thread compiles its own functions with its own assembler.
    fn movable<T: Send>() {}
    movable::<Assembler>();
}
