//! Sequentialising a parallel move: every destination receives the value its source held
//! before any of the moves, using only the class's scratch register (and, for a cycle that
//! goes through memory, one spare stack slot).

use super::Allocation;

/// A parallel move of one register class, and the locations it may borrow.
pub(super) struct ParallelMove {
    pub moves: Vec<(Allocation, Allocation)>,
}

impl ParallelMove {
    /// Sequential moves `(from, to)` equivalent to the parallel move. Destinations must be
    /// distinct. `spare_slot` names a stack slot that no move touches, for cycles through memory.
    pub fn sequentialize(
        mut self,
        scratch: Allocation,
        mut spare_slot: impl FnMut() -> Allocation,
    ) -> Vec<(Allocation, Allocation)> {
        self.moves.retain(|(from, to)| from != to);
        let mut out = Vec::with_capacity(self.moves.len() + 2);
        let emit = |out: &mut Vec<(Allocation, Allocation)>, from: Allocation, to: Allocation| {
            // Memory to memory goes through the scratch register.
            if matches!((from, to), (Allocation::Stack(_), Allocation::Stack(_))) {
                out.push((from, scratch));
                out.push((scratch, to));
            } else {
                out.push((from, to));
            }
        };
        let mut pending = self.moves;
        while !pending.is_empty() {
            // Emit every move whose destination no pending move still reads.
            let before = pending.len();
            let mut k = 0;
            while k < pending.len() {
                let to = pending[k].1;
                if pending.iter().all(|&(from, _)| from != to) {
                    let (from, to) = pending.swap_remove(k);
                    emit(&mut out, from, to);
                } else {
                    k += 1;
                }
            }
            if pending.len() != before || pending.is_empty() {
                continue;
            }
            // Only cycles remain: park one destination's current value, redirect its readers.
            let (_, parked) = pending[0];
            let through_memory = pending.iter().any(|m| matches!(m, (Allocation::Stack(_), Allocation::Stack(_))));
            let temp = if through_memory { spare_slot() } else { scratch };
            emit(&mut out, parked, temp);
            for m in pending.iter_mut() {
                if m.0 == parked {
                    m.0 = temp;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regalloc::{PReg, RegClass, SpillSlot};
    use std::collections::HashMap;

    fn r(hw: u8) -> Allocation {
        Allocation::Reg(PReg { class: RegClass::Int, hw })
    }
    fn s(n: u32) -> Allocation {
        Allocation::Stack(SpillSlot(n))
    }

    /// Runs the sequence on distinct symbolic contents and compares with the parallel meaning.
    fn check(moves: Vec<(Allocation, Allocation)>) -> usize {
        let scratch = r(15);
        let spare = s(99);
        let mut state: HashMap<Allocation, usize> = HashMap::new();
        for (k, &(from, _)) in moves.iter().enumerate() {
            state.entry(from).or_insert(k);
        }
        let expected: Vec<(Allocation, usize)> = moves.iter().map(|&(from, to)| (to, state[&from])).collect();
        let seq = ParallelMove { moves: moves.clone() }.sequentialize(scratch, || spare);
        for &(from, to) in &seq {
            assert!(!matches!((from, to), (Allocation::Stack(_), Allocation::Stack(_))), "memory-to-memory move");
            let v = state.get(&from).copied().expect("read of an undefined location");
            state.insert(to, v);
        }
        for (to, v) in expected {
            assert_eq!(state.get(&to), Some(&v), "{to} in {seq:?}");
        }
        seq.len()
    }

    #[test]
    fn chains_fan_out_and_identity() {
        assert_eq!(check(vec![(r(0), r(1)), (r(1), r(2)), (r(2), r(3))]), 3);
        assert_eq!(check(vec![(r(0), r(1)), (r(0), r(2)), (r(3), r(3))]), 2);
    }

    #[test]
    fn register_swap_uses_scratch() {
        assert_eq!(check(vec![(r(0), r(1)), (r(1), r(0))]), 3);
        assert_eq!(check(vec![(r(0), r(1)), (r(1), r(2)), (r(2), r(0)), (r(2), r(3))]), 5);
    }

    #[test]
    fn stack_cycles_use_the_spare_slot() {
        check(vec![(s(0), s(1)), (s(1), s(0))]);
        check(vec![(s(0), r(1)), (r(1), s(2)), (s(2), s(0)), (s(0), s(3))]);
        check(vec![(r(0), s(1)), (s(1), r(0)), (s(2), s(3))]);
    }
}
