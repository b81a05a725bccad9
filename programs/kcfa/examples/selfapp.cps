; Self-application, where the two variants differ at k = 1. Labels: 1 (call),
; 2 (lambda (self)), 3 (self self), 4 (lambda (f)), 5 (f (lambda (g) …)),
; 6 (lambda (g)), 7 (f halt). f is bound at [3] to 4 and at [5] to 6. With
; per-variable environments, call 7 reads f at [3] and calls only 4. With flat
; closures, entering 6 in context [5] copies f from [3] into [5], mixing 4 and 6:
; call 7 also calls 6, and halt flows on to g and becomes an answer.
((lambda (self) (self self))
 (lambda (f) (f (lambda (g) (f halt)))))
