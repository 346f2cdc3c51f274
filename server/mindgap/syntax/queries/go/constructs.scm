; The Go construct catalogue. Format: see mindgap/knowledge/catalogue.py.
;
; Not expressible from syntax alone: ranging over a channel or a map (versus a slice), and
; range-over-func iterators, need the type of the ranged value.

; ---------------------------------------------------------------------------------------------
; concurrency

; @construct goroutine
; @name goroutine (go statement)
; @family concurrency
; @explains `go f(x)` starts f running concurrently in a new goroutine; the caller continues at once without waiting for it.
(go_statement) @goroutine

; @construct make-channel
; @name channel creation (make(chan T))
; @family concurrency
; @explains `make(chan T)` creates a channel through which goroutines send and receive values of type T; without a capacity, each send waits for a receiver.
(call_expression
  function: (identifier) @_make
  arguments: (argument_list
    .
    (channel_type))
  (#eq? @_make "make")) @make-channel

; @construct buffered-channel
; @name buffered channel
; @family concurrency
; @explains `make(chan T, n)` creates a channel that holds up to n values, so sends only block when the buffer is full.
(call_expression
  function: (identifier) @_make
  arguments: (argument_list
    .
    (channel_type)
    .
    (_))
  (#eq? @_make "make")) @buffered-channel

; @construct directional-channel
; @name send-only or receive-only channel type
; @family concurrency
; @explains `chan<- T` can only be sent to and `<-chan T` only received from; function signatures use them to restrict what a goroutine may do.
(channel_type "<-") @directional-channel

; @construct channel-send
; @name channel send (ch <- v)
; @family concurrency
; @explains `ch <- v` sends v on the channel, waiting until a receiver takes it (or buffer space is free).
(send_statement) @channel-send

; @construct channel-receive
; @name channel receive (<-ch)
; @family concurrency
; @explains `<-ch` waits for and takes the next value from a channel; `v, ok := <-ch` also reports whether the channel was closed.
(unary_expression
  operator: "<-") @channel-receive

; @construct select
; @name select statement
; @family concurrency
; @explains `select` waits on several channel operations at once and runs the case of whichever is ready first (a random one if several are).
(select_statement) @select

; @construct non-blocking-select
; @name select with default (non-blocking)
; @family concurrency
; @explains A `select` with a `default` case never waits: if no channel operation is ready right now, the default case runs instead.
(select_statement
  (default_case)) @non-blocking-select

; @construct mutex
; @name sync.Mutex / RWMutex
; @family concurrency
; @explains A mutex guards shared data: `mu.Lock()` lets only one goroutine at a time run until `mu.Unlock()` (RWMutex also allows many concurrent readers).
(qualified_type
  package: (package_identifier) @_sync
  name: (type_identifier) @_mutex
  (#eq? @_sync "sync")
  (#any-of? @_mutex "Mutex" "RWMutex")) @mutex

; @construct wait-group
; @name sync.WaitGroup
; @family concurrency
; @explains A WaitGroup waits for goroutines to finish: `Add(n)` before starting them, `Done()` in each, and `Wait()` blocks until the count is zero.
(qualified_type
  package: (package_identifier) @_sync
  name: (type_identifier) @_group
  (#eq? @_sync "sync")
  (#eq? @_group "WaitGroup")) @wait-group

; @construct context-cancellation
; @name context with cancel, timeout or deadline
; @family concurrency
; @explains `context.WithCancel/WithTimeout/WithDeadline` derive a context that is cancelled on demand or in time, telling every function holding it to stop.
(call_expression
  function: (selector_expression
    operand: (identifier) @_context
    field: (field_identifier) @_with)
  (#eq? @_context "context")
  (#any-of? @_with "WithCancel" "WithTimeout" "WithDeadline" "WithCancelCause")) @context-cancellation

; ---------------------------------------------------------------------------------------------
; functions

; @construct closure
; @name function literal (closure)
; @family functions
; @explains `func(...) { ... }` written inline is an anonymous function that can use, and change, the variables around it.
(func_literal) @closure

; @construct defer
; @name defer statement
; @family functions
; @explains `defer f()` schedules a call to run when the surrounding function returns or panics; deferred calls run last-in, first-out.
(defer_statement) @defer

; @construct panic
; @name panic
; @family errors
; @explains `panic(v)` stops normal execution and unwinds the stack, running deferred calls, until a `recover` stops it or the program crashes.
(call_expression
  function: (identifier) @_panic
  (#eq? @_panic "panic")) @panic

; @construct recover
; @name recover
; @family errors
; @explains `recover()` called inside a deferred function stops a panic in progress and returns the value passed to `panic`.
(call_expression
  function: (identifier) @_recover
  (#eq? @_recover "recover")) @recover

; @construct variadic-function
; @name variadic parameter (...T)
; @family functions
; @explains A last parameter `args ...T` accepts any number of arguments of type T, seen inside the function as a slice `[]T`.
(variadic_parameter_declaration) @variadic-function

; @construct variadic-call
; @name passing a slice as variadic arguments (xs...)
; @family functions
; @explains `f(xs...)` passes the items of a slice as the variadic arguments, instead of one by one.
(variadic_argument) @variadic-call

; @construct multiple-return-values
; @name multiple return values
; @family functions
; @explains A function declaring `(T1, T2)` results returns several values at once, like `(value, error)`, received with `a, b := f()`.
(_
  result: (parameter_list
    (_)
    (_)) @multiple-return-values)
(_
  result: (parameter_list
    (parameter_declaration
      name: (_)
      name: (_))) @multiple-return-values)

; @construct named-results
; @name named result parameters
; @family functions
; @explains Results declared with names, `(n int, err error)`, are variables set inside the function; a bare `return` returns their current values.
(_
  result: (parameter_list
    (parameter_declaration
      name: (_))) @named-results)

; @construct init-function
; @name init function
; @family functions
; @explains `func init()` runs automatically once when its package is loaded, before `main`; a package may have several.
(function_declaration
  name: (identifier) @_init
  parameters: (parameter_list) @_no_parameters
  (#eq? @_init "init")
  (#eq? @_no_parameters "()")) @init-function

; @construct function-type
; @name named function type
; @family functions
; @explains `type HandlerFunc func(...)` names a function signature, so functions can be passed around as that type and even have methods.
(type_spec
  type: (function_type)) @function-type

; ---------------------------------------------------------------------------------------------
; types and methods

; @construct method
; @name method (function with a receiver)
; @family types
; @explains `func (r T) Name()` attaches a function to type T, called as `value.Name()`; the receiver `r` is the value it was called on.
(method_declaration) @method

; @construct pointer-receiver
; @name method with a pointer receiver
; @family types
; @explains `func (r *T) Name()` receives a pointer, so the method can change the value it was called on; a value receiver gets a copy.
(method_declaration
  receiver: (parameter_list
    (parameter_declaration
      type: (pointer_type)))) @pointer-receiver

; @construct interface
; @name interface type
; @family types
; @explains `type Name interface { Method() }` lists methods; any type that has them satisfies the interface implicitly, with no `implements`.
(type_spec
  type: (interface_type)) @interface

; @construct interface-embedding
; @name interface embedding
; @family types
; @explains Naming one interface inside another, `interface { io.Reader; io.Writer }`, adds all of its methods to the new interface.
(interface_type
  (type_elem
    .
    [(type_identifier) (qualified_type)]
    .) @interface-embedding)

; @construct struct-embedding
; @name struct embedding
; @family types
; @explains A struct field with only a type, `struct { Base }`, embeds it: the outer struct gets Base's fields and methods as if they were its own.
(field_declaration_list
  (field_declaration
    !name) @struct-embedding)

; @construct struct-tag
; @name struct tag
; @family types
; @explains A string after a field, `json:"name,omitempty"`, is metadata that packages like encoding/json read through reflection.
(field_declaration
  tag: (_)) @struct-tag

; @construct anonymous-struct
; @name anonymous struct
; @family types
; @explains A `struct { ... }` type written inline, without a type declaration, often for one-off values or table-driven tests.
(composite_literal
  type: (struct_type) @anonymous-struct)
(var_spec
  type: (struct_type) @anonymous-struct)
(slice_type
  element: (struct_type) @anonymous-struct)
(array_type
  element: (struct_type) @anonymous-struct)
(map_type
  value: (struct_type) @anonymous-struct)
(parameter_declaration
  type: (struct_type) @anonymous-struct)
(field_declaration
  type: (struct_type) @anonymous-struct)

; @construct type-switch
; @name type switch
; @family types
; @explains `switch v := x.(type) { case int: ... }` picks a case by the dynamic type of an interface value, with `v` of that type in each case.
(type_switch_statement) @type-switch

; @construct type-assertion
; @name type assertion (x.(T))
; @family types
; @explains `x.(T)` takes the concrete T out of an interface value; it panics if x is not a T, unless written `v, ok := x.(T)`.
(type_assertion_expression) @type-assertion

; @construct type-alias
; @name type alias (type A = B)
; @family types
; @explains `type A = B` makes A another name for the very same type B, unlike `type A B`, which defines a new distinct type.
(type_alias) @type-alias

; @construct iota
; @name iota
; @family types
; @explains Inside a `const ( ... )` block, `iota` counts 0, 1, 2... one per line, for enumerations and bit flags.
(iota) @iota

; ---------------------------------------------------------------------------------------------
; generics

; @construct generic-function
; @name generic function
; @family generics
; @explains A function with type parameters, `func Map[T, U any](...)`, works for many types; callers may state them or let them be inferred.
(function_declaration
  type_parameters: (type_parameter_list)) @generic-function

; @construct generic-type
; @name generic type
; @family generics
; @explains A type with type parameters, `type List[T any] struct { ... }`, is instantiated per use, as in `List[int]`.
(type_spec
  type_parameters: (type_parameter_list)) @generic-type

; @construct type-set-constraint
; @name type set constraint (~T, A | B)
; @family generics
; @explains A constraint like `~int | ~float64` allows exactly those types (`~` also admits types defined on them), so operators like `+` work on T.
(type_elem
  (negated_type)) @type-set-constraint
(type_elem
  (_)
  (_)) @type-set-constraint
(type_constraint
  (negated_type)) @type-set-constraint
(type_constraint
  (_)
  (_)) @type-set-constraint

; ---------------------------------------------------------------------------------------------
; control flow

; @construct range-loop
; @name for ... range loop
; @family control flow
; @explains `for i, v := range x` loops over a slice, array, string, map or channel, giving index (or key) and value each time.
(for_statement
  (range_clause)) @range-loop

; @construct range-over-int
; @name range over an integer
; @family control flow
; @explains `for i := range 10` (Go 1.22+) loops with i from 0 up to 9.
(range_clause
  right: (int_literal)) @range-over-int

; @construct infinite-loop
; @name for without a condition
; @family control flow
; @explains `for { ... }` loops forever until a break, return or panic leaves it; Go has no `while`.
(for_statement
  .
  body: (block)) @infinite-loop

; @construct if-with-initializer
; @name if with a short statement
; @family control flow
; @explains `if v, err := f(); err != nil { ... }` runs a statement first; the variables it declares exist only in the if and its else branches.
(if_statement
  initializer: (_)) @if-with-initializer

; @construct tagless-switch
; @name switch without a value
; @family control flow
; @explains `switch { case cond1: ... case cond2: ... }` runs the first case whose condition is true, a tidier if-else chain.
(expression_switch_statement
  !value) @tagless-switch

; @construct fallthrough
; @name fallthrough
; @family control flow
; @explains Go cases do not fall through by default; `fallthrough` as a case's last statement runs the next case's body too.
(fallthrough_statement) @fallthrough

; @construct labeled-statement
; @name label
; @family control flow
; @explains `Name:` before a statement marks it as a target for `break Name`, `continue Name` or `goto Name`.
(labeled_statement) @labeled-statement

; @construct labeled-break-continue
; @name labeled break or continue
; @family control flow
; @explains `break Outer` or `continue Outer` leaves or continues the labeled outer loop (or switch/select) instead of the innermost one.
(break_statement
  (label_name)) @labeled-break-continue
(continue_statement
  (label_name)) @labeled-break-continue

; @construct goto
; @name goto
; @family control flow
; @explains `goto Label` jumps to a labeled statement in the same function; it may not jump over variable declarations or into blocks.
(goto_statement) @goto

; ---------------------------------------------------------------------------------------------
; errors

; @construct error-wrapping
; @name error wrapping with %w
; @family errors
; @explains `fmt.Errorf("context: %w", err)` returns a new error that wraps err, so `errors.Is` and `errors.As` can still find the original.
(call_expression
  function: (selector_expression
    operand: (identifier) @_fmt
    field: (field_identifier) @_errorf)
  arguments: (argument_list
    .
    [(interpreted_string_literal) (raw_string_literal)] @_format)
  (#eq? @_fmt "fmt")
  (#eq? @_errorf "Errorf")
  (#match? @_format "%w")) @error-wrapping

; @construct error-inspection
; @name errors.Is / errors.As
; @family errors
; @explains `errors.Is(err, target)` and `errors.As(err, &target)` search err and everything it wraps for a given error value or type.
(call_expression
  function: (selector_expression
    operand: (identifier) @_errors
    field: (field_identifier) @_inspect)
  (#eq? @_errors "errors")
  (#any-of? @_inspect "Is" "As")) @error-inspection

; ---------------------------------------------------------------------------------------------
; slices, arrays, packages

; @construct full-slice-expression
; @name full slice expression (a[lo:hi:max])
; @family slices
; @explains `a[lo:hi:max]` slices and also caps the capacity at max-lo, so a later append must copy instead of overwriting a's elements.
(slice_expression
  capacity: (_)) @full-slice-expression

; @construct implicit-length-array
; @name array with [...] length
; @family slices
; @explains `[...]T{a, b, c}` is an array (not a slice) whose length the compiler counts from the literal.
(implicit_length_array_type) @implicit-length-array

; @construct blank-import
; @name blank import (import _)
; @family packages
; @explains `import _ "pkg"` loads a package only for its side effects (its init functions), such as registering a database driver.
(import_spec
  name: (blank_identifier)) @blank-import

; @construct dot-import
; @name dot import (import .)
; @family packages
; @explains `import . "pkg"` puts the package's exported names straight into this file's scope, without the `pkg.` prefix.
(import_spec
  name: (dot)) @dot-import

; @construct compiler-directive
; @name compiler directive (//go:...)
; @family packages
; @explains A comment `//go:embed`, `//go:generate` or `//go:build` is an instruction to the Go tools, not a remark: it embeds files, runs generators or selects builds.
((comment) @compiler-directive
  (#match? @compiler-directive "^//go:[a-z]"))
