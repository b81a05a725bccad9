; The standard example of the LVish k-CFA sources: the identity applied twice.
; Labels after desugaring the let: 1 (call), 2 (lambda (id)), 3 (call id),
; 4 (lambda (z)), 5, 6 (lambda (a)), 7 (call id), 8 (lambda (y)), 9,
; 10 (lambda (b)), 11 (halt b), 12 (lambda (x k)), 13 (k x).
; 0-CFA merges the two calls of id; with k = 1, a = {4} and b = {8}.
(let ((id (lambda (x k) (k x))))
  (id (lambda (z) (halt z))
      (lambda (a) (id (lambda (y) (halt y)) (lambda (b) (halt b))))))
