//! Branches to labels and their ranges, calls and relocations, jump tables, the literal pool,
//! traps.

use crate::common::*;
use target_aarch64::*;

fn texts(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|l| l.to_string()).collect()
}

#[test]
fn branches_to_labels_forward_and_backward() {
    let mut expect = Expect::new();
    // LLVM prints targets relative to the branch itself.
    let lines = texts(&[
        "b #24",
        "bl #20",
        "b.eq #16",
        "cbz w0, #12",
        "cbnz x30, #8",
        "tbz w29, #0, #4",
        "tbnz x1, #63, #0",
        "b.le #-4",
        "tbz x2, #32, #-8",
        "cbz xzr, #-12",
        "bl #-40",
    ]);
    expect.seq(&lines, |a| {
        let start = a.new_label();
        let end = a.new_label();
        a.bind_label(start);
        a.b(end);
        a.bl(end);
        a.b_cond(Cond::Eq, end);
        a.cbz(Size::S32, Gpr::X0, end);
        a.cbnz(Size::S64, Gpr::X30, end);
        a.tbz(Gpr::X29, 0, end);
        a.bind_label(end);
        a.tbnz(Gpr::X1, 63, end);
        a.b_cond(Cond::Le, end);
        a.tbz(Gpr::X2, 32, end);
        a.cbz(Size::S64, Gpr::Zr, end);
        a.bl(start);
    });
    expect.check();
    let out = assemble(|a| {
        let l = a.new_label();
        a.nop();
        a.bind_label(l);
        a.b(l);
    });
    assert_eq!(out.label_offset(Label::from_index(0)), Some(4));
}

#[test]
fn indirect_branches_and_traps() {
    let mut expect = Expect::new();
    expect.one("br x16", |a| a.br(Gpr::X16));
    expect.one("blr x30", |a| a.blr(Gpr::X30));
    expect.one("ret", |a| a.ret());
    expect.one("udf #0", |a| a.udf(0));
    expect.one("udf #65535", |a| a.udf(0xffff));
    expect.one("brk #0x3e8", |a| a.brk(1000));
    expect.one("nop", |a| a.nop());
    expect.check();
    assert!(error(|a| a.br(Gpr::Sp)).contains("sp is not allowed"));
    assert!(error(|a| a.tbz(Gpr::X0, 64, Label::from_index(0))).contains("bit 64"));
}

/// `count` nops, to put a label at a chosen distance.
fn nops(a: &mut Assembler, count: usize) {
    for _ in 0..count {
        a.nop();
    }
}

#[test]
fn branch_ranges_are_checked_at_both_ends() {
    // (emit a branch to the label, the field's reach in instructions)
    type Branch = fn(&mut Assembler, Label);
    let kinds: [(Branch, usize, &str); 4] = [
        (|a, l| a.tbz(Gpr::X0, 3, l), 1 << 13, "tbz/tbnz"),
        (|a, l| a.b_cond(Cond::Ne, l), 1 << 18, "b.cond"),
        (|a, l| a.cbnz(Size::S64, Gpr::X0, l), 1 << 18, "b.cond/cbz"),
        (|a, l| a.adr(Gpr::X0, l), 1 << 18, "adr"),
    ];
    for (branch, reach, what) in kinds {
        // Forward: the last reachable word is reach - 1 instructions on.
        for (gap, fits) in [(reach - 2, true), (reach - 1, false)] {
            let mut a = Assembler::new();
            let target = a.new_label();
            branch(&mut a, target);
            nops(&mut a, gap);
            a.bind_label(target);
            match a.finish() {
                Ok(_) => assert!(fits, "{what}: {gap} nops should be out of range"),
                Err(e) => {
                    assert!(!fits, "{what}: {gap} nops should fit: {e}");
                    assert!(e.message.contains("out of range") && e.message.contains(what), "{e}");
                    assert_eq!(e.offset, 0);
                }
            }
        }
        // Backward: exactly `reach` instructions back is the limit.
        for (gap, fits) in [(reach, true), (reach + 1, false)] {
            let mut a = Assembler::new();
            let target = a.new_label();
            a.bind_label(target);
            nops(&mut a, gap);
            branch(&mut a, target);
            assert_eq!(a.finish().is_ok(), fits, "{what}: {gap} back");
        }
    }
    // The extremes of a 19-bit field decode as LLVM expects.
    let mut a = Assembler::new();
    let target = a.new_label();
    a.bind_label(target);
    nops(&mut a, 1 << 18);
    a.b_cond(Cond::Ne, target);
    let out = a.finish().unwrap();
    assert_eq!(disasm(&out.words()[1 << 18..]), ["b.ne #-1048576"]);
}

#[test]
fn label_misuse_is_reported() {
    assert!(error(|a| {
        let l = a.new_label();
        a.b(l);
    })
    .contains("never bound"));
    assert!(error(|a| {
        let l = a.new_label();
        a.bind_label(l);
        a.bind_label(l);
    })
    .contains("bound twice"));
    assert!(error(|a| a.b(Label::from_index(7))).contains("does not belong"));
    assert!(error(|a| a.align(12)).contains("power of two"));
}

#[test]
fn calls_and_addresses_through_relocations() {
    let out = assemble(|a| {
        a.nop();
        a.call_symbol(7);
        a.jump_symbol(8);
        a.symbol_address(Gpr::X9, 9);
    });
    let expected = [
        Reloc { offset: 4, kind: RelocKind::Call26, symbol: 7, addend: 0 },
        Reloc { offset: 8, kind: RelocKind::Jump26, symbol: 8, addend: 0 },
        Reloc { offset: 12, kind: RelocKind::AdrPage21, symbol: 9, addend: 0 },
        Reloc { offset: 16, kind: RelocKind::AddLo12, symbol: 9, addend: 0 },
    ];
    assert_eq!(out.relocs, expected);
    assert_eq!(disasm(&out.words()), ["nop", "bl #0", "b #0", "adrp x9, #0", "add x9, x9, #0"]);
    assert!(error(|a| a.symbol_address(Gpr::Zr, 1)).contains("zero register"));

    // A data word: aligned to 8 (after one `udf` of padding here), all zeros until linked.
    let out = assemble(|a| {
        a.ret();
        a.symbol_address_word(3);
    });
    assert_eq!(out.relocs, [Reloc { offset: 8, kind: RelocKind::Abs64, symbol: 3, addend: 0 }]);
    assert_eq!(out.code.len(), 16);
    assert_eq!(&out.code[4..], &[0; 12]);
}

#[test]
fn relocation_types_match_the_system_elf_header() {
    let header = std::fs::read_to_string("/usr/include/elf.h")
        .expect("/usr/include/elf.h (Debian package libc6-dev) holds the R_AARCH64_* numbers");
    let defined = |name: &str| -> u32 {
        let line = header
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(name))
            .unwrap_or_else(|| panic!("{name} not in elf.h"));
        line.split_whitespace().nth(2).and_then(|v| v.parse().ok()).expect("a decimal value")
    };
    let kinds = [
        (RelocKind::Call26, "R_AARCH64_CALL26"),
        (RelocKind::Jump26, "R_AARCH64_JUMP26"),
        (RelocKind::AdrPage21, "R_AARCH64_ADR_PREL_PG_HI21"),
        (RelocKind::AddLo12, "R_AARCH64_ADD_ABS_LO12_NC"),
        (RelocKind::Abs64, "R_AARCH64_ABS64"),
    ];
    for (kind, name) in kinds {
        assert_eq!(kind.elf_type(), defined(name), "{name}");
    }
}

#[test]
fn jump_tables_hold_offsets_from_the_table() {
    let mut labels = Vec::new();
    let out = assemble(|a| {
        let table = a.new_label();
        let cases: Vec<Label> = (0..3).map(|_| a.new_label()).collect();
        a.jump_table_dispatch(table, Gpr::X0, Gpr::X17);
        for &case in &cases {
            a.bind_label(case);
            a.ret();
        }
        a.emit_jump_table(table, &[cases[2], cases[0], cases[1], cases[2]]);
        labels.push(table);
        labels.extend(cases);
    });
    let words = out.words();
    // adr + ldrsw + add + br, three returns, then the table at 28.
    assert_eq!(disasm(&words[..4]), ["adr x17, #28", "ldrsw x0, [x17, w0, uxtw #2]", "add x17, x17, x0", "br x17"]);
    let table = out.label_offset(labels[0]).unwrap();
    assert_eq!(table, 28);
    let entries: Vec<i32> = words[7..].iter().map(|&w| w as i32).collect();
    let case = |i: usize| out.label_offset(labels[1 + i]).unwrap() as i32 - table as i32;
    assert_eq!(entries, [case(2), case(0), case(1), case(2)]);
    assert_eq!(entries, [-4, -12, -8, -4]);
}

#[test]
fn literal_pool_is_shared_aligned_and_loaded_pc_relative() {
    let out = assemble(|a| {
        let d = a.const_u64(0x4000_0000_0000_0000);
        let s = a.const_u32(0x3f80_0000);
        let q = a.const_u128(1);
        let again = a.const_u64(0x4000_0000_0000_0000);
        assert_eq!(d, again, "equal constants share a slot");
        a.load_fp(VSize::D, Vreg::V0, d); // 0
        a.load_fp(VSize::S, Vreg::V31, s); // 4
        a.load_fp(VSize::Q, Vreg::V7, q); // 8
        a.load(Size::S64, Gpr::X0, d); // 12
        a.load(Size::S32, Gpr::X30, s); // 16
        a.load_sx(Size::S32, Size::S64, Gpr::X1, s); // 20
        a.ret(); // 24
    });
    // Code ends at 28, padded with `udf` to 32; then q (16 bytes), d, s.
    assert_eq!(out.pool_start, 28);
    assert_eq!(out.code.len(), 32 + 16 + 8 + 4);
    assert_eq!(&out.code[28..32], &[0; 4]);
    assert_eq!(&out.code[32..48], &1u128.to_le_bytes());
    assert_eq!(&out.code[48..56], &0x4000_0000_0000_0000u64.to_le_bytes());
    assert_eq!(&out.code[56..60], &0x3f80_0000u32.to_le_bytes());
    let lines = disasm(&out.words()[..7]);
    let expected =
        ["ldr d0, #48", "ldr s31, #52", "ldr q7, #24", "ldr x0, #36", "ldr w30, #40", "ldrsw x1, #36", "ret"];
    assert_eq!(lines, expected);
    assert!(error(|a| {
        let c = a.const_u32(1);
        a.load(Size::S16, Gpr::X0, c);
    })
    .contains("no pc-relative"));
}

#[test]
fn alignment_pads_with_nops() {
    let out = assemble(|a| {
        a.ret();
        a.align(16);
        a.align(16);
    });
    assert_eq!(disasm(&out.words()), ["ret", "nop", "nop", "nop"]);
}

#[test]
fn both_disassemblers_flag_undefined_words() {
    // The checks above rely on these reporting bad words rather than skipping them.
    let words = [0x8b02_0020, 0xffff_ffff, 0xd65f_03c0];
    assert_eq!(disasm(&words), ["add x0, x1, x2", "<invalid>", "ret"]);
    assert_eq!(gnu_undefined(&words), [1]);
}

#[test]
fn long_range_branches_invert_over_an_unconditional_b() {
    let far = 1usize << 19; // 2 MiB of nops: beyond b.cond/cbz/tbz reach, within b's.
    let out = assemble(|a| {
        a.set_long_range(true);
        let target = a.new_label();
        a.b_cond(Cond::Ne, target); // 0, 4
        a.cbz(Size::S32, Gpr::X3, target); // 8, 12
        a.cbnz(Size::S64, Gpr::X4, target); // 16, 20
        a.tbz(Gpr::X5, 40, target); // 24, 28
        a.b_cond(Cond::Al, target); // 32: always taken, a plain b
        nops(a, far);
        a.bind_label(target);
        a.ret();
    });
    let words = out.words();
    let to_target = |at: usize| format!("b #{}", 36 + 4 * far - at);
    let expected = [
        "b.eq #8".to_string(),
        to_target(4),
        "cbnz w3, #8".to_string(),
        to_target(12),
        "cbz x4, #8".to_string(),
        to_target(20),
        "tbnz x5, #40, #8".to_string(),
        to_target(28),
        to_target(32),
    ];
    assert_eq!(disasm(&words[..9]), expected);
    // The same code in the normal mode is an out-of-range error the caller can act on.
    let mut a = Assembler::new();
    let target = a.new_label();
    a.b_cond(Cond::Ne, target);
    nops(&mut a, far);
    a.bind_label(target);
    let e = a.finish().expect_err("out of range");
    assert!(e.out_of_range, "{e}");
}

#[test]
fn long_range_literals_sit_inline_behind_a_branch() {
    let out = assemble(|a| {
        a.set_long_range(true);
        let d = a.const_u64(0x4000_0000_0000_0000);
        let q = a.const_u128(7);
        let s = a.const_u32(0x3f80_0000);
        a.load_fp(VSize::D, Vreg::V0, d); // 0: ldr; 4: b; 8..16 data
        a.load_fp(VSize::Q, Vreg::V1, q); // 16: ldr; 20: b; 24..40 data (8-aligned)
        a.nop(); // 40
        a.load(Size::S32, Gpr::X2, s); // 44: ldr; 48: b; 52..56 data
        a.ret(); // 56
    });
    let words = out.words();
    assert_eq!(out.code.len(), 60, "no pool after the code");
    assert_eq!(disasm(&words[0..2]), ["ldr d0, #8", "b #12"]);
    assert_eq!(&out.code[8..16], &0x4000_0000_0000_0000u64.to_le_bytes());
    assert_eq!(disasm(&words[4..6]), ["ldr q1, #8", "b #20"]);
    assert_eq!(&out.code[24..40], &7u128.to_le_bytes());
    assert_eq!(disasm(&words[10..13]), ["nop", "ldr w2, #8", "b #8"]);
    assert_eq!(&out.code[52..56], &0x3f80_0000u32.to_le_bytes());
    assert_eq!(disasm(&words[14..15]), ["ret"]);
}
