; Nested wrappers around an identity (bench/kcfa-families.mjs wrappers 2): w0 is
; the identity, w1 and w2 wrap it; each is called twice. Calls of w_j are told
; apart when k > j, so each more k makes one more pair (p_j, q_j) precise.
(let ((w0 (lambda (x0 c0) (c0 x0))))
(let ((w1 (lambda (x1 c1) (w0 x1 c1))))
(let ((w2 (lambda (x2 c2) (w1 x2 c2))))
(w0 (lambda (a0_1) (halt a0_1)) (lambda (p0_1)
 (w0 (lambda (b0_1) (halt b0_1)) (lambda (q0_1)
(w1 (lambda (a1_1) (halt a1_1)) (lambda (p1_1)
 (w1 (lambda (b1_1) (halt b1_1)) (lambda (q1_1)
(w2 (lambda (a2_1) (halt a2_1)) (lambda (p2_1)
 (w2 (lambda (b2_1) (halt b2_1)) (lambda (q2_1)
(halt q2_1))))))))))))))))
