; The JavaScript construct catalogue. Format: see mindgap/knowledge/catalogue.py.
;
; TypeScript and TSX include this file (`; @include javascript`), so every pattern here must
; also compile against their grammars. Where TypeScript parses a construct into other nodes
; (parameters, class fields, `extends`), the pattern here matches the JavaScript shape and
; typescript/constructs.scm adds a pattern for the TypeScript shape under the same capture.
;
; JSX constructs live in tsx/constructs.scm, not here: the TypeScript grammar has no JSX nodes,
; so a JSX pattern in this file would not compile for TypeScript (and .jsx files, parsed with this
; grammar, get no JSX constructs for now).
;
; Anonymous tokens inside a wildcard parent (`(_ "static")`) only constrain the match when
; they are captured, hence helper captures like `"static" @_static`.

; ---------------------------------------------------------------------------------------------
; functions

; @construct arrow-function
; @name arrow function
; @family functions
; @explains A short function written `(args) => body` that keeps the `this` of the code around it instead of getting its own.
(arrow_function) @arrow-function

; @construct default-parameter
; @name default parameter value
; @family functions
; @explains A parameter written `name = value` takes that value when the caller passes nothing (or undefined) for it.
(formal_parameters
  (_
    left: (_)
    right: (_)) @default-parameter)

; @construct rest-parameter
; @name rest parameter
; @family functions
; @explains A last parameter written `...name` collects all remaining arguments into one array.
(formal_parameters
  (_
    "..." @_dots) @rest-parameter)

; @construct destructured-parameter
; @name destructured parameter
; @family functions
; @explains A parameter written as a `{...}` or `[...]` pattern unpacks the argument's properties or items into separate names.
(formal_parameters
  (_) @destructured-parameter
  (#match? @destructured-parameter "^[{\\[]"))

; @construct closure
; @name function returning a function (closure)
; @family functions
; @explains A function that builds and returns an inner function; the inner one keeps access to the outer function's variables after the outer call has returned.
(function_declaration
  body: (statement_block
    (return_statement [(arrow_function) (function_expression)]))) @closure
(function_expression
  body: (statement_block
    (return_statement [(arrow_function) (function_expression)]))) @closure
(arrow_function
  body: (statement_block
    (return_statement [(arrow_function) (function_expression)]))) @closure
(arrow_function
  body: [(arrow_function) (function_expression)]) @closure

; @construct iife
; @name immediately invoked function expression (IIFE)
; @family functions
; @explains A function expression wrapped in parentheses and called on the spot, `(function () { ... })()`, to run code in its own private scope.
(call_expression
  function: (parenthesized_expression
    [(function_expression) (arrow_function)])) @iife
(parenthesized_expression
  (call_expression
    function: (function_expression)) @iife)

; @construct arguments-object
; @name arguments object
; @family functions
; @explains `arguments` is an array-like object, inside a non-arrow function, holding every argument the function was called with.
((identifier) @arguments-object
  (#eq? @arguments-object "arguments"))

; @construct explicit-this-binding
; @name explicit this binding (bind/call/apply)
; @family functions
; @explains `fn.bind(obj)` returns a copy of `fn` whose `this` is `obj`; `fn.call(obj, ...)` and `fn.apply(obj, [...])` call it with that `this` right away.
(call_expression
  function: (member_expression
    property: (property_identifier) @_binding)
  (#any-of? @_binding "bind" "call" "apply")) @explicit-this-binding

; ---------------------------------------------------------------------------------------------
; asynchronous code

; @construct async-function
; @name async function
; @family async
; @explains A function marked `async` always returns a Promise and may pause at each `await` without blocking the program.
(function_declaration "async") @async-function
(function_expression "async") @async-function
(arrow_function "async") @async-function
(method_definition "async") @async-function

; @construct await
; @name await expression
; @family async
; @explains `await promise` pauses the surrounding async function until the promise settles, then gives its value (or throws its error).
(await_expression) @await

; @construct promise-then
; @name promise .then/.catch/.finally chain
; @family async
; @explains `.then(onValue)`, `.catch(onError)` and `.finally(always)` register callbacks that run when a promise settles, each returning a new promise so calls can be chained.
(call_expression
  function: (member_expression
    property: (property_identifier) @_promise_method)
  (#any-of? @_promise_method "then" "catch" "finally")) @promise-then

; @construct promise-constructor
; @name new Promise
; @family async
; @explains `new Promise((resolve, reject) => ...)` wraps callback-style work in a promise that settles when the code calls `resolve(value)` or `reject(error)`.
(new_expression
  constructor: (identifier) @_promise
  (#eq? @_promise "Promise")) @promise-constructor

; @construct promise-combinator
; @name Promise.all / allSettled / race / any
; @family async
; @explains Combines several promises into one: `all` waits for every one (failing on the first error), `allSettled` for every outcome, `race` for the first to settle, `any` for the first success.
(call_expression
  function: (member_expression
    object: (identifier) @_promise
    property: (property_identifier) @_combinator)
  (#eq? @_promise "Promise")
  (#any-of? @_combinator "all" "allSettled" "race" "any")) @promise-combinator

; @construct for-await
; @name for await...of loop
; @family async
; @explains `for await (const x of source)` loops over an async iterable (or promises), waiting for each value before running the body.
(for_in_statement "await") @for-await

; ---------------------------------------------------------------------------------------------
; generators

; @construct generator-function
; @name generator function (function*)
; @family generators
; @explains A `function*` returns an iterator: each call to `next()` runs the body up to the next `yield` and hands out that value.
(generator_function_declaration) @generator-function
(generator_function) @generator-function
(method_definition "*") @generator-function

; @construct yield
; @name yield expression
; @family generators
; @explains Inside a generator, `yield value` hands a value to whoever is iterating and pauses there until the next value is asked for.
(yield_expression) @yield

; @construct yield-delegation
; @name yield* delegation
; @family generators
; @explains `yield* iterable` hands out every value of another generator or iterable, one by one, before the generator continues.
(yield_expression "*") @yield-delegation

; @construct async-generator
; @name async generator (async function*)
; @family generators
; @explains An `async function*` can both `await` and `yield`; it produces an async iterable consumed with `for await...of`.
(generator_function_declaration "async") @async-generator
(generator_function "async") @async-generator
(method_definition "async" "*") @async-generator

; ---------------------------------------------------------------------------------------------
; destructuring, spread and rest

; @construct object-destructuring
; @name object destructuring
; @family destructuring
; @explains A pattern like `const { a, b: alias } = obj` pulls properties out of an object into variables of those names.
(object_pattern) @object-destructuring

; @construct array-destructuring
; @name array destructuring
; @family destructuring
; @explains A pattern like `const [first, second] = list` assigns items of an array (or any iterable) to variables by position.
(array_pattern) @array-destructuring

; @construct destructuring-default
; @name default value in destructuring
; @family destructuring
; @explains Writing `{ a = 1 }` or `[x = 0]` in a pattern uses that value when the property or item is missing (undefined).
(object_pattern
  (object_assignment_pattern) @destructuring-default)
(array_pattern
  (assignment_pattern) @destructuring-default)

; @construct destructuring-rest
; @name rest element in destructuring
; @family destructuring
; @explains `...rest` as the last part of a pattern collects the remaining properties (into a new object) or items (into a new array).
(object_pattern
  (rest_pattern) @destructuring-rest)
(array_pattern
  (rest_pattern) @destructuring-rest)

; @construct array-spread
; @name spread into an array
; @family spread
; @explains `[...a, ...b]` copies every item of each iterable into the new array, in order.
(array
  (spread_element) @array-spread)

; @construct object-spread
; @name spread into an object
; @family spread
; @explains `{ ...defaults, ...options }` copies the own properties of each object into the new one; later properties overwrite earlier ones.
(object
  (spread_element) @object-spread)

; @construct call-spread
; @name spread in a call
; @family spread
; @explains `f(...args)` passes the items of an array (or iterable) as separate arguments.
(arguments
  (spread_element) @call-spread)

; ---------------------------------------------------------------------------------------------
; operators

; @construct optional-chaining
; @name optional chaining (?.)
; @family operators
; @explains `a?.b`, `a?.[k]` and `f?.()` stop and give undefined when the value on the left is null or undefined, instead of throwing.
(member_expression
  optional_chain: (optional_chain)) @optional-chaining
(subscript_expression
  optional_chain: (optional_chain)) @optional-chaining
(_
  function: (_)
  optional_chain: (optional_chain)) @optional-chaining

; @construct nullish-coalescing
; @name nullish coalescing (??)
; @family operators
; @explains `a ?? b` gives `b` only when `a` is null or undefined (unlike `||`, which also replaces 0, '' and false).
(binary_expression
  operator: "??") @nullish-coalescing

; @construct logical-assignment
; @name logical assignment (??=, ||=, &&=)
; @family operators
; @explains `a ??= b` assigns only if `a` is null or undefined, `a ||= b` only if `a` is falsy, `a &&= b` only if `a` is truthy.
(augmented_assignment_expression
  operator: ["??=" "||=" "&&="]) @logical-assignment

; @construct exponent-operator
; @name exponent operator (**)
; @family operators
; @explains `a ** b` raises `a` to the power `b` (like Math.pow); `a **= b` does it in place.
(binary_expression
  operator: "**") @exponent-operator
(augmented_assignment_expression
  operator: "**=") @exponent-operator

; @construct ternary
; @name conditional (ternary) operator
; @family operators
; @explains `cond ? a : b` is an expression that evaluates to `a` when `cond` is truthy and to `b` otherwise.
(ternary_expression) @ternary

; @construct comma-operator
; @name comma operator
; @family operators
; @explains `a, b` evaluates both expressions left to right and gives the value of the last one.
(sequence_expression) @comma-operator

; @construct typeof-operator
; @name typeof operator
; @family operators
; @explains `typeof x` gives the type of a value as a string, such as "string", "number", "function" or "undefined", without throwing on undeclared names.
(unary_expression
  operator: "typeof") @typeof-operator

; @construct instanceof-operator
; @name instanceof operator
; @family operators
; @explains `x instanceof C` is true when `C.prototype` is on the prototype chain of `x`, i.e. `x` was built by `C` or a subclass.
(binary_expression
  operator: "instanceof") @instanceof-operator

; @construct in-operator
; @name in operator
; @family operators
; @explains `key in obj` is true when the object or its prototype chain has a property with that name, even if its value is undefined.
(binary_expression
  operator: "in") @in-operator

; @construct delete-operator
; @name delete operator
; @family operators
; @explains `delete obj.key` removes a property from an object (setting it to undefined would keep the key).
(unary_expression
  operator: "delete") @delete-operator

; ---------------------------------------------------------------------------------------------
; strings and literals

; @construct template-literal
; @name template literal
; @family strings
; @explains A backtick string that can span lines and embeds expressions with `${...}`.
(template_string) @template-literal

; @construct tagged-template
; @name tagged template
; @family strings
; @explains A function name written right before a template literal, tag`...`, calls that function with the literal's string pieces and embedded values so it can build any result.
(call_expression
  arguments: (template_string)) @tagged-template

; @construct regex-literal
; @name regular expression literal
; @family strings
; @explains `/pattern/flags` creates a RegExp object for matching, searching and replacing text.
(regex) @regex-literal

; @construct regex-flags
; @name regular expression flags
; @family strings
; @explains Letters after the closing slash change matching: g (all matches), i (ignore case), m (multiline ^ $), s (dot matches newline), u (Unicode), y (sticky), d (indices).
(regex
  flags: (regex_flags)) @regex-flags

; @construct regex-named-group
; @name named capture group in a regex
; @family strings
; @explains `(?<name>...)` in a regular expression captures the matched text under a name, read back as `match.groups.name`.
(regex
  pattern: (regex_pattern) @_regex_pattern
  (#match? @_regex_pattern "\\(\\?<[A-Za-z_$]")) @regex-named-group

; @construct bigint-literal
; @name BigInt literal
; @family literals
; @explains A number ending in `n`, like `10n`, is a BigInt: an integer of any size that cannot be mixed with ordinary numbers in arithmetic.
((number) @bigint-literal
  (#match? @bigint-literal "n$"))

; @construct numeric-separator
; @name numeric separator
; @family literals
; @explains Underscores inside a number literal, as in `1_000_000`, only group digits for readability; they do not change the value.
((number) @numeric-separator
  (#match? @numeric-separator "_"))

; ---------------------------------------------------------------------------------------------
; objects

; @construct computed-property-name
; @name computed property name
; @family objects
; @explains `{ [expr]: value }` uses the value of an expression, evaluated at run time, as the property's name.
(computed_property_name) @computed-property-name

; @construct shorthand-property
; @name shorthand property
; @family objects
; @explains `{ name }` in an object literal is short for `{ name: name }`: the property takes the name and value of the variable.
(shorthand_property_identifier) @shorthand-property

; @construct object-accessor
; @name getter/setter in an object literal
; @family objects
; @explains `get name() {...}` and `set name(v) {...}` inside an object literal run code when the property is read or assigned.
(object
  (method_definition ["get" "set"]) @object-accessor)

; @construct symbol
; @name Symbol
; @family objects
; @explains `Symbol()` makes a unique value usable as a property key that cannot clash with any other; well-known ones like `Symbol.iterator` hook into language behaviour.
(call_expression
  function: (identifier) @_symbol
  (#eq? @_symbol "Symbol")) @symbol
(member_expression
  object: (identifier) @_symbol
  (#eq? @_symbol "Symbol")) @symbol

; @construct proxy
; @name Proxy
; @family metaprogramming
; @explains `new Proxy(target, handler)` makes an object whose property reads, writes, calls and other operations go through the handler's trap functions.
(new_expression
  constructor: (identifier) @_proxy
  (#eq? @_proxy "Proxy")) @proxy

; @construct reflect
; @name Reflect API
; @family metaprogramming
; @explains `Reflect.get`, `Reflect.set`, `Reflect.ownKeys` and friends perform the default object operations as functions, often forwarded from Proxy traps.
(call_expression
  function: (member_expression
    object: (identifier) @_reflect)
  (#eq? @_reflect "Reflect")) @reflect

; @construct weak-collection
; @name WeakMap / WeakSet / WeakRef
; @family objects
; @explains Collections and references that hold objects weakly: they do not keep their keys or targets alive, so the garbage collector may remove them.
(new_expression
  constructor: (identifier) @_weak
  (#any-of? @_weak "WeakMap" "WeakSet" "WeakRef" "FinalizationRegistry")) @weak-collection

; ---------------------------------------------------------------------------------------------
; classes

; @construct class-declaration
; @name class declaration
; @family classes
; @explains `class Name { constructor() {...} method() {...} }` defines a constructor function and the methods shared by the objects it creates.
(class_declaration) @class-declaration

; @construct class-expression
; @name class expression
; @family classes
; @explains A `class { ... }` used as a value (assigned, passed or returned) rather than declared by name as a statement.
(class) @class-expression

; @construct class-extends
; @name class inheritance (extends)
; @family classes
; @explains `class B extends A` makes B a subclass: its objects also get A's methods, and a constructor B defines must call `super()` before using `this`.
; (TypeScript wraps the base in extends_clause and may have only an implements_clause.)
(class_heritage
  (_) @_heritage
  (#not-match? @_heritage "^implements\\b")) @class-extends

; @construct super-constructor-call
; @name super() call
; @family classes
; @explains `super(...)` in a subclass constructor runs the parent class's constructor; `this` is usable only after it.
(call_expression
  function: (super)) @super-constructor-call

; @construct super-method-call
; @name super.method() call
; @family classes
; @explains `super.name` reaches the parent class's version of a method or property, typically to extend an overridden method.
(member_expression
  object: (super)) @super-method-call

; @construct static-member
; @name static class member
; @family classes
; @explains A method or field marked `static` belongs to the class itself (`ClassName.member`), not to the objects it creates.
(method_definition "static") @static-member
(class_body
  (_
    "static" @_static
    property: (_)) @static-member)

; @construct private-member
; @name private class member (#name)
; @family classes
; @explains A field or method whose name starts with `#` can only be used by code inside the class body; outside access is a syntax error.
(private_property_identifier) @private-member

; @construct class-accessor
; @name getter/setter in a class
; @family classes
; @explains `get name() {...}` and `set name(v) {...}` in a class run code when the property is read or assigned on an instance.
(class_body
  (method_definition ["get" "set"]) @class-accessor)

; @construct static-block
; @name static initialization block
; @family classes
; @explains `static { ... }` inside a class body runs once, when the class is defined, to set up static state.
(class_static_block) @static-block

; @construct decorator
; @name decorator
; @family classes
; @explains `@expr` placed before a class or member passes it to the decorator function, which can wrap, replace or register it.
(decorator) @decorator

; @construct new-target
; @name new.target
; @family metaprogramming
; @explains Inside a function or constructor, `new.target` is the constructor that `new` was called on, or undefined when called without `new`.
(meta_property "target") @new-target

; ---------------------------------------------------------------------------------------------
; control flow

; @construct for-of
; @name for...of loop
; @family control flow
; @explains `for (const x of iterable)` runs the body once for each value of an array, string, Map, Set, generator or other iterable.
(for_in_statement
  operator: "of") @for-of

; @construct for-in
; @name for...in loop
; @family control flow
; @explains `for (const key in obj)` runs the body once for each enumerable property name (a string) of an object, inherited ones included.
(for_in_statement
  operator: "in") @for-in

; @construct labeled-statement
; @name labeled statement
; @family control flow
; @explains `name:` before a loop or block lets a nested `break name` or `continue name` leave or continue that outer statement directly.
(labeled_statement) @labeled-statement

; @construct switch-fallthrough
; @name switch case fall-through
; @family control flow
; @explains A `case` body that does not end with break, return, throw or continue runs on into the next case's code.
(switch_body
  (switch_case
    value: (_)
    body: (_) @_last_statement .) @switch-fallthrough
  .
  (comment)*
  .
  [(switch_case) (switch_default)]
  (#not-match? @_last_statement "^(break|return|throw|continue)\\b|^\\{[\\s\\S]*\\b(break|return|throw|continue)\\b[^;{}]*;?\\s*\\}$"))

; @construct do-while
; @name do...while loop
; @family control flow
; @explains `do { ... } while (cond)` runs the body once before checking the condition, then repeats while it holds.
(do_statement) @do-while

; @construct var-declaration
; @name var declaration
; @family control flow
; @explains `var` declares a function-scoped (not block-scoped) variable that is hoisted: it exists, as undefined, from the start of the function.
(variable_declaration) @var-declaration

; ---------------------------------------------------------------------------------------------
; errors

; @construct try-catch
; @name try...catch
; @family errors
; @explains `try { ... } catch (err) { ... }` runs the catch block with the thrown value if anything in the try block throws.
(try_statement
  handler: (catch_clause)) @try-catch

; @construct try-finally
; @name finally block
; @family errors
; @explains A `finally { ... }` block runs after the try (and catch) blocks whether they completed, returned or threw.
(try_statement
  finalizer: (finally_clause)) @try-finally

; @construct optional-catch-binding
; @name catch without a binding
; @family errors
; @explains `catch { ... }` with no `(err)` handles any error when the code does not need to look at the error value.
(catch_clause
  !parameter) @optional-catch-binding

; ---------------------------------------------------------------------------------------------
; modules

; @construct dynamic-import
; @name dynamic import()
; @family modules
; @explains `import("./module.js")` loads a module at run time, on demand, and returns a promise for its exports.
(call_expression
  function: (import)) @dynamic-import

; @construct import-meta
; @name import.meta
; @family modules
; @explains `import.meta` is an object with information about the current module, such as its `url`.
(meta_property "meta") @import-meta

; @construct export-default
; @name default export
; @family modules
; @explains `export default value` makes one value the module's main export, imported under any name with `import name from "..."`.
(export_statement "default") @export-default

; @construct named-export
; @name named export
; @family modules
; @explains `export const x` or `export { a, b as c }` exports values under names, imported with braces: `import { x } from "..."`.
(export_statement
  declaration: (_)) @named-export
(export_statement
  (export_clause)
  !source) @named-export

; @construct re-export
; @name re-export (export ... from)
; @family modules
; @explains `export { a } from "./m"` or `export * from "./m"` passes another module's exports on without importing them for local use.
(export_statement
  source: (_)) @re-export

; @construct namespace-import
; @name namespace import (import * as)
; @family modules
; @explains `import * as name from "..."` binds every export of a module as properties of one object.
(namespace_import) @namespace-import

; @construct commonjs-require
; @name CommonJS require()
; @family modules
; @explains `require("module")` loads a module synchronously and returns its `module.exports` (Node's older module system).
(call_expression
  function: (identifier) @_require
  (#eq? @_require "require")) @commonjs-require

; @construct commonjs-exports
; @name CommonJS module.exports
; @family modules
; @explains Assigning to `module.exports` (or `exports.name`) defines what other files get from `require()` of this one.
(assignment_expression
  left: (member_expression
    object: (identifier) @_module
    property: (property_identifier) @_exports)
  (#eq? @_module "module")
  (#eq? @_exports "exports")) @commonjs-exports
(assignment_expression
  left: (member_expression
    object: (member_expression
      object: (identifier) @_module
      property: (property_identifier) @_exports))
  (#eq? @_module "module")
  (#eq? @_exports "exports")) @commonjs-exports
(assignment_expression
  left: (member_expression
    object: (identifier) @_exports)
  (#eq? @_exports "exports")) @commonjs-exports
