; Van Horn and Mairson's worst case (bench/kcfa-families.mjs vhm 2): x1 and x2 are
; each bound at two call sites; with per-variable environments and k >= 1 the
; innermost call is reached in 2^n environments, but the answers stay the same.
((lambda (f1) (f1 (lambda (t1) (halt t1)) (lambda (u1) (f1 (lambda (e1) (halt e1)) halt))))
 (lambda (x1 c1) ((lambda (f2) (f2 (lambda (t2) (halt t2)) (lambda (u2) (f2 (lambda (e2) (halt e2)) c1))))
 (lambda (x2 c2) ((lambda (z) (z x1 x2 c2)) (lambda (y1 y2 kk) (kk y1)))))))
