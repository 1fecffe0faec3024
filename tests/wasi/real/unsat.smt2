; Unsatisfiable: no 4-bit x with x + x = 1.
(set-logic QF_BV)
(declare-fun x () (_ BitVec 4))
(assert (= (bvadd x x) #x1))
(check-sat)
(exit)
