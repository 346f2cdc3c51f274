; The Python construct catalogue. Format: see mindgap/knowledge/catalogue.py.

; @construct match-statement
; @name match statement
; @family pattern matching
; @explains Compares a value against patterns in order and runs the block of the first case that fits.
(match_statement) @match-statement

; @construct lambda
; @name lambda expression
; @family functions
; @explains An anonymous one-expression function, written inline where a function is expected.
(lambda) @lambda
