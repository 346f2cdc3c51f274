; The Rust construct catalogue. Format: see mindgap/knowledge/catalogue.py.
;
; Best effort (syntax only, no types): smart pointers are recognised by their type names, iterator
; chains by an adapter called right on `.iter()` and friends, Option/Result combinators by method
; name, shadowing by two consecutive `let`s of one name.

; ---------------------------------------------------------------------------------------------
; ownership and borrowing

; @construct lifetime
; @name lifetime parameter or annotation ('a)
; @family ownership
; @explains `<'a>` and `&'a T` name how long a borrow is valid, so the compiler can check that a reference never outlives the data it points to.
(lifetime_parameter) @lifetime
(reference_type
  (lifetime
    (identifier) @_lifetime)
  (#not-eq? @_lifetime "static")) @lifetime

; @construct static-lifetime
; @name 'static lifetime
; @family ownership
; @explains `&'static T` is a reference valid for the whole program, such as a string literal; as a bound, `T: 'static` means T holds no short-lived borrows.
(lifetime
  (identifier) @_static
  (#eq? @_static "static")) @static-lifetime

; @construct mutable-reference
; @name mutable reference (&mut)
; @family ownership
; @explains `&mut x` borrows x exclusively, allowing changes through the reference; while it lives, no other reference to x may be used.
(reference_expression
  (mutable_specifier)) @mutable-reference
(reference_type
  (mutable_specifier)) @mutable-reference
(self_parameter
  (mutable_specifier)) @mutable-reference

; @construct slice-type
; @name slice type (&[T])
; @family ownership
; @explains `&[T]` is a borrowed view of a run of elements (of an array, a Vec or part of one), carrying a pointer and a length.
(reference_type
  type: (array_type
    !length)) @slice-type

; @construct range-slicing
; @name slicing with a range (v[a..b])
; @family ownership
; @explains `&v[1..3]` borrows the elements from index 1 up to (not including) 3 as a slice; it panics if the range is out of bounds.
(index_expression
  (range_expression)) @range-slicing

; @construct raw-pointer
; @name raw pointer (*const T, *mut T)
; @family unsafe
; @explains `*const T` and `*mut T` are pointers without borrow checking; creating them is safe, but dereferencing one needs `unsafe`.
(pointer_type) @raw-pointer

; @construct box
; @name Box (heap allocation)
; @family smart pointers
; @explains `Box<T>` owns a value on the heap; it gives recursive types a known size and holds trait objects like `Box<dyn Error>`.
(generic_type
  type: (type_identifier) @_box
  (#eq? @_box "Box")) @box
(call_expression
  function: (scoped_identifier
    path: (identifier) @_box
    name: (identifier) @_new)
  (#eq? @_box "Box")
  (#eq? @_new "new")) @box

; @construct reference-counting
; @name Rc / Arc (shared ownership)
; @family smart pointers
; @explains `Rc<T>` (single thread) and `Arc<T>` (thread-safe) let several owners share one value, freed when the last clone is dropped.
(generic_type
  type: (type_identifier) @_shared
  (#any-of? @_shared "Rc" "Arc" "Weak")) @reference-counting
(call_expression
  function: (scoped_identifier
    path: (identifier) @_shared
    name: (identifier) @_make)
  (#any-of? @_shared "Rc" "Arc")
  (#any-of? @_make "new" "clone")) @reference-counting

; @construct interior-mutability
; @name RefCell / Cell / Mutex (interior mutability)
; @family smart pointers
; @explains `RefCell`, `Cell`, `Mutex` and `RwLock` allow changing a value through a shared reference, checking the borrow rules at run time (or locking).
(generic_type
  type: (type_identifier) @_cell
  (#any-of? @_cell "RefCell" "Cell" "Mutex" "RwLock" "OnceCell")) @interior-mutability
(call_expression
  function: (scoped_identifier
    path: (identifier) @_cell
    name: (identifier) @_new)
  (#any-of? @_cell "RefCell" "Cell" "Mutex" "RwLock" "OnceCell")
  (#eq? @_new "new")) @interior-mutability

; @construct shadowing
; @name shadowing (let x again)
; @family ownership
; @explains A second `let x` in the same block declares a new variable that hides the first, often to change its type or mutability.
; Only two `let`s in a row: unanchored siblings would make matching quadratic in block length.
(block
  (let_declaration
    pattern: (identifier) @_first)
  .
  (let_declaration
    pattern: (identifier) @_again) @shadowing
  (#eq? @_first @_again))

; ---------------------------------------------------------------------------------------------
; traits and generics

; @construct trait-definition
; @name trait definition
; @family traits
; @explains `trait Name { fn method(&self); }` declares behaviour that types can implement, possibly with default method bodies.
(trait_item) @trait-definition

; @construct trait-impl
; @name trait implementation (impl Trait for Type)
; @family traits
; @explains `impl Trait for Type { ... }` provides the trait's methods for that type, so it can be used wherever the trait is required.
(impl_item
  trait: (_)) @trait-impl

; @construct inherent-impl
; @name impl block
; @family traits
; @explains `impl Type { ... }` defines methods and associated functions (like `new`) on a struct or enum itself.
(impl_item
  !trait) @inherent-impl

; @construct default-method
; @name default method in a trait
; @family traits
; @explains A trait method with a body is a default: implementors get it for free and may override it.
(trait_item
  body: (declaration_list
    (function_item) @default-method))

; @construct trait-object
; @name trait object (dyn Trait)
; @family traits
; @explains `dyn Trait` behind a pointer (`&dyn T`, `Box<dyn T>`) is a value of any type implementing the trait, with methods chosen at run time.
(dynamic_type) @trait-object

; @construct impl-trait
; @name impl Trait type
; @family traits
; @explains `impl Trait` in a parameter accepts any type implementing the trait; in a return type it hides the concrete type the function returns.
(abstract_type) @impl-trait

; @construct generic-function
; @name generic function
; @family generics
; @explains A function with type parameters, `fn largest<T: PartialOrd>(...)`, is compiled separately for each concrete type it is used with.
(function_item
  type_parameters: (type_parameters
    [(type_parameter) (const_parameter)])) @generic-function

; @construct generic-type
; @name generic struct or enum
; @family generics
; @explains A struct or enum with type parameters, `struct Point<T> { x: T }`, is a template instantiated per type, like `Point<f64>`.
(struct_item
  type_parameters: (type_parameters
    [(type_parameter) (const_parameter)])) @generic-type
(enum_item
  type_parameters: (type_parameters
    [(type_parameter) (const_parameter)])) @generic-type

; @construct trait-bound
; @name trait bound (T: Trait)
; @family generics
; @explains `T: Display + Clone` restricts a type parameter to types implementing those traits, so the body may use their methods.
(type_parameter
  bounds: (trait_bounds)) @trait-bound

; @construct where-clause
; @name where clause
; @family generics
; @explains `where T: Trait, U: Other` lists the bounds of type parameters after the signature, for readability or bounds not expressible inline.
(where_clause) @where-clause

; @construct associated-type
; @name associated type
; @family traits
; @explains `type Item;` in a trait is a placeholder type each implementation fixes (`type Item = u32;`), as in Iterator's `Item`.
(associated_type) @associated-type
(impl_item
  trait: (_)
  body: (declaration_list
    (type_item) @associated-type))

; @construct const-generics
; @name const generic parameter
; @family generics
; @explains `<const N: usize>` makes a constant value, like an array length, a parameter of a type or function.
(const_parameter) @const-generics

; @construct turbofish
; @name turbofish (::<T>)
; @family generics
; @explains `collect::<Vec<_>>()` or `Vec::<u8>::new()` states a generic's type arguments in an expression when they cannot be inferred.
(generic_function) @turbofish
(scoped_identifier
  path: (generic_type)) @turbofish

; @construct blanket-impl
; @name blanket implementation (impl<T> Trait for T)
; @family traits
; @explains `impl<T: Display> Trait for T` implements a trait for every type that meets the bounds at once.
(impl_item
  type_parameters: (type_parameters
    (type_parameter
      name: (type_identifier) @_parameter))
  trait: (_)
  type: (type_identifier) @_for
  (#eq? @_parameter @_for)) @blanket-impl

; @construct fn-trait-bound
; @name Fn / FnMut / FnOnce bound
; @family closures
; @explains `F: Fn(i32) -> i32` accepts any closure or function with that signature; FnMut may mutate captured state and FnOnce may consume it.
(function_type
  trait: (type_identifier) @_fn
  (#any-of? @_fn "Fn" "FnMut" "FnOnce")) @fn-trait-bound

; @construct operator-overloading
; @name operator overloading (impl Add, Index...)
; @family traits
; @explains Implementing a `std::ops` trait like `Add`, `Mul`, `Neg` or `Index` for a type makes `a + b`, `-a` or `a[i]` work on it.
(impl_item
  trait: [(type_identifier) @_operator
          (generic_type
            type: (type_identifier) @_operator)
          (scoped_type_identifier
            name: (type_identifier) @_operator)]
  (#any-of? @_operator
    "Add" "Sub" "Mul" "Div" "Rem" "Neg" "Not" "BitAnd" "BitOr" "BitXor" "Shl" "Shr" "Index"
    "IndexMut" "AddAssign" "SubAssign" "MulAssign" "DivAssign" "RemAssign")) @operator-overloading

; @construct drop-impl
; @name Drop implementation (destructor)
; @family traits
; @explains `impl Drop for T { fn drop(&mut self) { ... } }` runs code automatically when a value of T goes out of scope, e.g. to release a resource.
(impl_item
  trait: (type_identifier) @_drop
  (#eq? @_drop "Drop")) @drop-impl

; @construct conversion-impl
; @name From / TryFrom implementation
; @family traits
; @explains `impl From<A> for B` defines how to build a B from an A, which also gives `a.into()` and lets `?` convert error types.
(impl_item
  trait: (generic_type
    type: (type_identifier) @_conversion)
  (#any-of? @_conversion "From" "TryFrom" "Into" "TryInto")) @conversion-impl

; @construct iterator-impl
; @name implementing Iterator
; @family iterators
; @explains `impl Iterator for T { type Item = ...; fn next(&mut self) -> Option<Self::Item> }` makes T usable in `for` loops and with every iterator adapter.
(impl_item
  trait: (type_identifier) @_iterator
  (#eq? @_iterator "Iterator")) @iterator-impl

; @construct derive
; @name derive attribute
; @family traits
; @explains `#[derive(Debug, Clone, PartialEq)]` asks the compiler to generate those trait implementations for a struct or enum.
(attribute_item
  (attribute
    (identifier) @_derive
    (#eq? @_derive "derive"))) @derive

; ---------------------------------------------------------------------------------------------
; enums and pattern matching

; @construct enum-with-data
; @name enum with data in its variants
; @family pattern matching
; @explains Enum variants can carry values, `Move { x: i32 }` or `Write(String)`, so one type holds different shapes of data, told apart by `match`.
(enum_item
  body: (enum_variant_list
    (enum_variant
      body: (_)))) @enum-with-data

; @construct match
; @name match expression
; @family pattern matching
; @explains `match value { pattern => result, ... }` runs the first arm whose pattern fits; the compiler checks that every possible value is covered.
(match_expression) @match

; @construct match-guard
; @name match guard (pattern if cond)
; @family pattern matching
; @explains `pattern if condition =>` makes an arm match only when the extra condition also holds.
(match_arm
  pattern: (match_pattern
    condition: (_))) @match-guard

; @construct or-pattern
; @name or-pattern (A | B)
; @family pattern matching
; @explains `A | B` in a pattern matches if either alternative matches.
(or_pattern) @or-pattern

; @construct binding-pattern
; @name @ binding (name @ pattern)
; @family pattern matching
; @explains `n @ 1..=9` tests a value against a pattern and also binds the whole value to a name.
(captured_pattern) @binding-pattern

; @construct range-pattern
; @name range pattern (a..=b)
; @family pattern matching
; @explains `1..=9` or `'a'..='z'` in a pattern matches any value in that inclusive range.
(range_pattern) @range-pattern

; @construct slice-pattern
; @name slice pattern ([first, .., last])
; @family pattern matching
; @explains `[first, .., last]` or `[x, rest @ ..]` matches a slice or array by its length and elements, binding the parts.
(slice_pattern) @slice-pattern

; @construct struct-pattern
; @name struct pattern destructuring
; @family pattern matching
; @explains `Point { x, y: 0 }` in a pattern matches a struct (or struct variant) by its fields and binds them; `..` ignores the rest.
(struct_pattern) @struct-pattern

; @construct ref-pattern
; @name ref binding
; @family pattern matching
; @explains `ref name` (or `ref mut name`) in a pattern borrows the matched part instead of moving it into the binding.
(ref_pattern) @ref-pattern

; @construct if-let
; @name if let
; @family pattern matching
; @explains `if let Some(x) = value { ... }` runs the block only when the value matches the pattern, with its parts bound.
(if_expression
  condition: (let_condition)) @if-let
(if_expression
  condition: (let_chain)) @if-let

; @construct while-let
; @name while let
; @family pattern matching
; @explains `while let Some(x) = stack.pop() { ... }` repeats the loop for as long as the value matches the pattern.
(while_expression
  condition: (let_condition)) @while-let

; @construct let-else
; @name let ... else
; @family pattern matching
; @explains `let Some(x) = value else { return; };` binds from a pattern that may fail; when it does not match, the else block must diverge.
(let_declaration
  alternative: (block)) @let-else

; @construct matches-macro
; @name matches! macro
; @family pattern matching
; @explains `matches!(value, Pattern)` is true when the value fits the pattern (guards allowed), a one-line alternative to a match.
(macro_invocation
  macro: (identifier) @_matches
  (#eq? @_matches "matches")) @matches-macro

; ---------------------------------------------------------------------------------------------
; closures, iterators and error handling

; @construct closure
; @name closure
; @family closures
; @explains `|args| expression` is an anonymous function that can capture variables from the code around it.
(closure_expression) @closure

; @construct move-closure
; @name move closure
; @family closures
; @explains `move |args| ...` takes ownership of the variables it captures, so it can outlive their scope (for threads and async tasks).
(closure_expression "move") @move-closure

; @construct iterator-chain
; @name iterator adapter chain
; @family iterators
; @explains `v.iter().map(...).filter(...).collect()` builds a lazy pipeline over the items; nothing runs until a consumer like `collect` or `sum` pulls values.
(call_expression
  function: (field_expression
    value: (call_expression
      function: (field_expression
        field: (field_identifier) @_source))
    field: (field_identifier) @_adapter)
  (#any-of? @_source "iter" "iter_mut" "into_iter" "chars" "bytes" "lines" "keys" "values" "drain")
  (#any-of? @_adapter
    "map" "filter" "filter_map" "flat_map" "flatten" "fold" "enumerate" "zip" "rev" "skip" "take"
    "take_while" "skip_while" "chain" "any" "all" "find" "position" "sum" "product" "count"
    "for_each" "inspect" "peekable" "step_by" "cloned" "copied" "min_by_key" "max_by_key"
    "scan" "partition" "collect" "windows" "chunks")) @iterator-chain

; @construct question-mark
; @name ? operator
; @family error handling
; @explains `expr?` unwraps an Ok or Some value, or returns the Err (converted with From) or None from the current function early.
(try_expression) @question-mark

; @construct option-result-combinator
; @name Option/Result combinator
; @family error handling
; @explains Methods like `map_err`, `and_then`, `ok_or`, `unwrap_or_else` and `map_or` transform or default an Option or Result without a match.
(call_expression
  function: (field_expression
    field: (field_identifier) @_combinator)
  (#any-of? @_combinator
    "and_then" "or_else" "map_err" "map_or" "map_or_else" "ok_or" "ok_or_else" "unwrap_or"
    "unwrap_or_else" "unwrap_or_default" "is_some_and" "is_ok_and" "is_none_or" "transpose"
    "as_deref" "as_deref_mut" "get_or_insert_with" "zip_with" "inspect_err")) @option-result-combinator

; ---------------------------------------------------------------------------------------------
; macros, unsafe, async

; @construct macro-definition
; @name macro_rules! definition
; @family macros
; @explains `macro_rules! name { (pattern) => { expansion }; }` defines a macro that rewrites matching token patterns into code at compile time.
(macro_definition) @macro-definition

; @construct macro-invocation
; @name macro invocation (name!)
; @family macros
; @explains `name!(...)` calls a macro, expanded at compile time into code; it may take any number of arguments or even custom syntax.
(macro_invocation) @macro-invocation

; @construct cfg-attribute
; @name conditional compilation (#[cfg])
; @family macros
; @explains `#[cfg(test)]` or `#[cfg(target_os = "linux")]` compiles the item only when the condition holds, e.g. for test-only modules.
(attribute_item
  (attribute
    (identifier) @_cfg
    (#any-of? @_cfg "cfg" "cfg_attr"))) @cfg-attribute

; @construct unsafe-block
; @name unsafe block
; @family unsafe
; @explains `unsafe { ... }` allows operations the compiler cannot check, such as dereferencing raw pointers; the programmer guarantees they are sound.
(unsafe_block) @unsafe-block

; @construct unsafe-fn
; @name unsafe fn or impl
; @family unsafe
; @explains An `unsafe fn` has conditions the caller must guarantee (and must be called in unsafe code); an `unsafe impl` promises a trait's invariants hold.
(function_item
  (function_modifiers "unsafe")) @unsafe-fn
(impl_item "unsafe") @unsafe-fn

; @construct extern-block
; @name extern block (FFI)
; @family unsafe
; @explains `extern "C" { fn abs(x: i32) -> i32; }` declares functions written in another language, callable only from unsafe code.
(foreign_mod_item) @extern-block

; @construct async-fn
; @name async fn
; @family async
; @explains An `async fn` returns a future: calling it does nothing until the future is awaited or run by an executor such as tokio.
(function_item
  (function_modifiers "async")) @async-fn

; @construct await
; @name .await
; @family async
; @explains `future.await` pauses the current async function until the future completes, letting other tasks run meanwhile.
(await_expression) @await

; @construct async-block
; @name async block
; @family async
; @explains `async { ... }` (or `async move { ... }`) is an expression that creates a future running the block's code when awaited.
(async_block) @async-block

; @construct const-fn
; @name const fn
; @family functions
; @explains A `const fn` can be evaluated at compile time, so it may be used to compute constants and array lengths.
(function_item
  (function_modifiers "const")) @const-fn

; ---------------------------------------------------------------------------------------------
; items, modules and control flow

; @construct tuple-struct
; @name tuple struct (newtype)
; @family types
; @explains `struct Meters(f64);` has unnamed fields reached as `.0`, `.1`; with one field it wraps a type into a new, distinct one.
(struct_item
  body: (ordered_field_declaration_list)) @tuple-struct

; @construct static-item
; @name static item
; @family types
; @explains `static NAME: T = value;` is one global value at a fixed address for the whole program; `static mut` can only be used in unsafe code.
(static_item) @static-item

; @construct inline-module
; @name inline module (mod name { ... })
; @family modules
; @explains `mod name { ... }` declares a module in place; items inside are private to it unless marked `pub`.
(mod_item
  body: (declaration_list)) @inline-module

; @construct restricted-visibility
; @name restricted visibility (pub(crate))
; @family modules
; @explains `pub(crate)`, `pub(super)` or `pub(in path)` make an item visible only within the crate, the parent module or the given path.
(visibility_modifier
  (_)) @restricted-visibility

; @construct type-cast
; @name as cast
; @family types
; @explains `x as u64` converts between primitive types, silently truncating, wrapping or saturating values that do not fit.
(type_cast_expression) @type-cast

; @construct labeled-loop
; @name loop label ('outer:)
; @family control flow
; @explains `'outer: loop { ... }` names a loop so that a nested `break 'outer` or `continue 'outer` can leave or continue it directly.
(loop_expression
  (label)) @labeled-loop
(for_expression
  (label)) @labeled-loop
(while_expression
  (label)) @labeled-loop

; @construct break-with-value
; @name break with a value
; @family control flow
; @explains `break value` inside a `loop` ends it and makes the whole loop expression evaluate to that value.
(break_expression
  (_) @_value
  (#not-match? @_value "^'")) @break-with-value
