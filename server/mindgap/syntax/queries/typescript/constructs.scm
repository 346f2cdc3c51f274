; The TypeScript construct catalogue: every JavaScript construct, plus the type system.
; Format: see mindgap/knowledge/catalogue.py. TSX includes this file, so every pattern here
; must also compile against the TSX grammar (which has no `<T>value` type assertions).
; @include javascript

; ---------------------------------------------------------------------------------------------
; JavaScript constructs that the TypeScript grammar parses into other nodes

(formal_parameters
  (required_parameter
    value: (_)) @default-parameter)

(formal_parameters
  (required_parameter
    pattern: (rest_pattern)) @rest-parameter)

(call_expression "?.") @optional-chaining

(public_field_definition "static") @static-member

; ---------------------------------------------------------------------------------------------
; declaring types

; @construct interface
; @name interface declaration
; @family types
; @explains `interface Name { ... }` names the shape an object must have: its properties, methods and their types.
(interface_declaration) @interface

; @construct interface-extends
; @name interface extending another
; @family types
; @explains `interface B extends A { ... }` makes B include every member of A plus its own.
(extends_type_clause) @interface-extends

; @construct type-alias
; @name type alias
; @family types
; @explains `type Name = ...` gives a name to any type expression: a union, an object shape, a function type and so on.
(type_alias_declaration) @type-alias

; @construct enum
; @name enum
; @family types
; @explains `enum Color { Red, Green }` defines named constants (numbers by default, or strings) that also exist as an object at run time.
(enum_declaration) @enum

; @construct const-enum
; @name const enum
; @family types
; @explains A `const enum` is erased at compile time: each use of a member is replaced by its literal value, so no object exists at run time.
(enum_declaration "const") @const-enum

; @construct namespace
; @name namespace / module declaration
; @family types
; @explains `namespace Name { ... }` (or `declare module "name"`) groups declarations under one name; modern code mostly uses ES modules instead.
(internal_module) @namespace
(module) @namespace

; @construct ambient-declaration
; @name ambient declaration (declare)
; @family types
; @explains `declare` describes something that exists at run time (a global, a module from plain JavaScript) without emitting any code for it.
(ambient_declaration) @ambient-declaration

; ---------------------------------------------------------------------------------------------
; generics

; @construct generic-function
; @name generic function
; @family generics
; @explains A function with type parameters, `function f<T>(x: T): T`, works for many types while keeping the link between its inputs and output.
(function_declaration
  type_parameters: (type_parameters)) @generic-function
(function_signature
  type_parameters: (type_parameters)) @generic-function
(function_expression
  type_parameters: (type_parameters)) @generic-function
(arrow_function
  type_parameters: (type_parameters)) @generic-function
(generator_function_declaration
  type_parameters: (type_parameters)) @generic-function
(method_definition
  type_parameters: (type_parameters)) @generic-function
(method_signature
  type_parameters: (type_parameters)) @generic-function

; @construct generic-class
; @name generic class
; @family generics
; @explains A class with type parameters, `class Box<T>`, whose fields and methods use `T`; each use picks the type, as in `new Box<string>()`.
(class_declaration
  type_parameters: (type_parameters)) @generic-class
(abstract_class_declaration
  type_parameters: (type_parameters)) @generic-class
(class
  type_parameters: (type_parameters)) @generic-class

; @construct generic-type
; @name generic interface or type alias
; @family generics
; @explains An interface or type alias with type parameters, `type Result<T> = ...`, is a template that produces a type for each argument.
(interface_declaration
  type_parameters: (type_parameters)) @generic-type
(type_alias_declaration
  type_parameters: (type_parameters)) @generic-type

; @construct generic-constraint
; @name generic constraint (T extends ...)
; @family generics
; @explains `<T extends Shape>` only accepts type arguments assignable to Shape, so the body may use Shape's members on a `T`.
(type_parameter
  constraint: (constraint)) @generic-constraint

; @construct generic-default
; @name default type argument
; @family generics
; @explains `<T = string>` gives a type parameter a default used when the caller does not provide (or the compiler cannot infer) one.
(type_parameter
  value: (default_type)) @generic-default

; @construct explicit-type-arguments
; @name explicit type arguments
; @family generics
; @explains `f<number>(x)` or `new Map<string, number>()` states a generic's type parameters at the call instead of letting them be inferred.
(call_expression
  type_arguments: (type_arguments)) @explicit-type-arguments
(new_expression
  type_arguments: (type_arguments)) @explicit-type-arguments

; @construct utility-type
; @name built-in utility type
; @family generics
; @explains Generic types shipped with TypeScript, like `Partial<T>`, `Pick<T, K>`, `Omit<T, K>`, `Record<K, V>` or `ReturnType<F>`, that derive a new type from another.
(generic_type
  name: (type_identifier) @_utility
  (#any-of? @_utility
    "Partial" "Required" "Readonly" "Pick" "Omit" "Record" "Exclude" "Extract" "NonNullable"
    "ReturnType" "Parameters" "ConstructorParameters" "InstanceType" "Awaited" "NoInfer"
    "ThisType" "ThisParameterType" "OmitThisParameter" "Uppercase" "Lowercase" "Capitalize"
    "Uncapitalize")) @utility-type

; ---------------------------------------------------------------------------------------------
; type operators

; @construct union-type
; @name union type (A | B)
; @family type operators
; @explains `A | B` is a value of either type; code must check which one (narrowing) before using members only one of them has.
(union_type) @union-type

; @construct literal-union
; @name union of literal types
; @family type operators
; @explains `"asc" | "desc"` allows exactly those values, a lightweight alternative to an enum that the compiler checks.
(union_type
  (literal_type [(string) (number)])) @literal-union

; @construct intersection-type
; @name intersection type (A & B)
; @family type operators
; @explains `A & B` is a value that has every member of A and every member of B at once.
(intersection_type) @intersection-type

; @construct keyof-type
; @name keyof type operator
; @family type operators
; @explains `keyof T` is the union of T's property names as literal types, e.g. `"id" | "name"`.
(index_type_query) @keyof-type

; @construct typeof-type
; @name typeof in a type position
; @family type operators
; @explains In a type, `typeof value` is the type the compiler inferred for that variable, so a type can follow a value.
(type_query) @typeof-type

; @construct indexed-access-type
; @name indexed access type (T[K])
; @family type operators
; @explains `T["name"]` or `T[K]` is the type of the property K of type T, like reading a property but for types.
(lookup_type) @indexed-access-type

; @construct conditional-type
; @name conditional type
; @family type operators
; @explains `T extends U ? X : Y` picks type X when T is assignable to U and Y otherwise; on a type parameter T it applies to each member of a union separately.
(conditional_type) @conditional-type

; @construct infer-type
; @name infer in a conditional type
; @family type operators
; @explains `infer R` inside the `extends` part of a conditional type captures the matching piece of the type as R, as in `T extends Promise<infer R> ? R : T`.
(infer_type) @infer-type

; @construct mapped-type
; @name mapped type
; @family type operators
; @explains `{ [K in keyof T]: ... }` builds an object type by transforming each property of another type, optionally adding or removing readonly and `?`.
(object_type
  (index_signature
    (mapped_type_clause))) @mapped-type

; @construct template-literal-type
; @name template literal type
; @family type operators
; @explains A backtick type like `` `on${string}` `` describes the strings matching that template, and can combine unions of string literals.
(template_literal_type) @template-literal-type

; @construct tuple-type
; @name tuple type
; @family type operators
; @explains `[string, number]` is an array type of fixed length with a type for each position; elements may be named, optional (`?`) or rest (`...`).
(tuple_type) @tuple-type

; @construct function-type
; @name function type
; @family type operators
; @explains `(a: number) => string` describes a function's parameters and return type, e.g. for a callback parameter.
(function_type) @function-type

; @construct index-signature
; @name index signature
; @family type operators
; @explains `[key: string]: T` in an object type says any property name of that key type maps to a value of type T.
(index_signature
  name: (_)) @index-signature

; ---------------------------------------------------------------------------------------------
; classes

; @construct abstract-class
; @name abstract class
; @family classes
; @explains An `abstract class` cannot be instantiated itself; subclasses inherit its code and must implement its abstract members.
(abstract_class_declaration) @abstract-class

; @construct abstract-member
; @name abstract member
; @family classes
; @explains A member marked `abstract` has no implementation in the class: every concrete subclass must provide it.
(abstract_method_signature) @abstract-member
(public_field_definition "abstract") @abstract-member

; @construct access-modifier
; @name access modifier (private/protected/public)
; @family classes
; @explains `private` members are visible only inside the class and `protected` ones also in subclasses; the compiler checks this, but not the run time.
(accessibility_modifier) @access-modifier

; @construct parameter-property
; @name parameter property
; @family classes
; @explains A constructor parameter with `private`, `public`, `protected` or `readonly` also declares and assigns a class field of that name.
(formal_parameters
  (required_parameter (accessibility_modifier)) @parameter-property)
(formal_parameters
  (optional_parameter (accessibility_modifier)) @parameter-property)
(formal_parameters
  (required_parameter "readonly") @parameter-property)

; @construct readonly
; @name readonly modifier
; @family classes
; @explains `readonly` on a property (or `readonly T[]` on an array type) lets code read it but the compiler rejects any assignment after initialisation.
(public_field_definition "readonly") @readonly
(property_signature "readonly") @readonly
(readonly_type) @readonly

; @construct implements-clause
; @name implements clause
; @family classes
; @explains `class C implements I` asks the compiler to check that the class has every member the interface requires; it inherits nothing.
(implements_clause) @implements-clause

; @construct override-modifier
; @name override modifier
; @family classes
; @explains `override` marks a method that replaces a parent class method, and the compiler errors if the parent has no such method.
(override_modifier) @override-modifier

; @construct optional-member
; @name optional property or parameter (?)
; @family classes
; @explains A `?` after a property or parameter name, `name?: T`, means it may be absent; its type then includes undefined.
(optional_parameter) @optional-member
(property_signature "?") @optional-member
(public_field_definition "?") @optional-member
(method_signature "?") @optional-member

; ---------------------------------------------------------------------------------------------
; narrowing and assertions

; @construct non-null-assertion
; @name non-null assertion (!)
; @family narrowing
; @explains A postfix `!`, as in `user!.name`, tells the compiler the value is not null or undefined; nothing checks it at run time.
(non_null_expression) @non-null-assertion

; @construct type-assertion
; @name type assertion (as)
; @family narrowing
; @explains `value as T` tells the compiler to treat a value as type T; it changes nothing at run time and can hide real type errors.
(as_expression
  (_)
  (_)) @type-assertion

; @construct const-assertion
; @name as const
; @family narrowing
; @explains `as const` makes the compiler infer the narrowest, readonly type: literal values instead of string or number, and readonly tuples.
(as_expression "const") @const-assertion

; @construct satisfies
; @name satisfies operator
; @family narrowing
; @explains `value satisfies T` checks that a value matches T but keeps the value's own, more precise inferred type.
(satisfies_expression) @satisfies

; @construct type-predicate
; @name type guard (x is T)
; @family narrowing
; @explains A function returning `x is T` is a user-defined type guard: where it returns true, the compiler narrows `x` to T.
(type_predicate_annotation) @type-predicate

; @construct assertion-function
; @name assertion function (asserts)
; @family narrowing
; @explains A function returning `asserts x` or `asserts x is T` throws unless the condition holds, so code after a call may rely on it.
(asserts_annotation) @assertion-function

; ---------------------------------------------------------------------------------------------
; functions and modules

; @construct function-overload
; @name function overloads
; @family functions
; @explains Several bodiless signatures of one function, followed by one implementation, give callers different parameter and return types per call shape.
((function_signature
  name: (identifier) @_overload) @function-overload
  .
  (comment)*
  .
  [(function_signature
    name: (identifier) @_next)
   (function_declaration
    name: (identifier) @_next)]
  (#eq? @_overload @_next))
((export_statement
  declaration: (function_signature
    name: (identifier) @_overload)) @function-overload
  .
  (comment)*
  .
  (export_statement
    declaration: [(function_signature
      name: (identifier) @_next)
     (function_declaration
      name: (identifier) @_next)])
  (#eq? @_overload @_next))
((method_signature
  name: (_) @_overload) @function-overload
  .
  (comment)*
  .
  [(method_signature
    name: (_) @_next)
   (method_definition
    name: (_) @_next)]
  (#eq? @_overload @_next))

; @construct type-only-import
; @name type-only import
; @family modules
; @explains `import type { T }` (or `import { type T }`) imports only types; the import is removed from the emitted JavaScript.
(import_statement "type") @type-only-import
(import_specifier "type") @type-only-import
