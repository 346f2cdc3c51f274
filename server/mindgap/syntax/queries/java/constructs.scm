; The Java construct catalogue. Format: see mindgap/knowledge/catalogue.py.
;
; Best effort (syntax only, no types): stream pipelines are recognised by a call chained on
; `.stream()` or `Stream.of(...)`, Optional and CompletableFuture by their names.

; ---------------------------------------------------------------------------------------------
; generics

; @construct generic-class
; @name generic class or interface
; @family generics
; @explains A class, interface or record with type parameters, `class Box<T>`, whose members use T; each use picks the type, as in `Box<String>`.
(class_declaration
  type_parameters: (type_parameters)) @generic-class
(interface_declaration
  type_parameters: (type_parameters)) @generic-class
(record_declaration
  type_parameters: (type_parameters)) @generic-class

; @construct generic-method
; @name generic method
; @family generics
; @explains A method with its own type parameters, `<T> T first(List<T> xs)`, declared before the return type and usually inferred at each call.
(method_declaration
  type_parameters: (type_parameters)) @generic-method
(constructor_declaration
  type_parameters: (type_parameters)) @generic-method

; @construct bounded-type-parameter
; @name bounded type parameter (T extends ...)
; @family generics
; @explains `<T extends Comparable<T>>` only accepts types that are (or implement) the bound, so the body may call the bound's methods on a T.
(type_parameter
  (type_bound)) @bounded-type-parameter

; @construct bounded-wildcard
; @name bounded wildcard (? extends / ? super)
; @family generics
; @explains `List<? extends Number>` accepts lists of any Number subtype (read-only use); `List<? super Integer>` accepts lists that can take Integers.
(wildcard "extends") @bounded-wildcard
(wildcard
  (super)) @bounded-wildcard

; @construct diamond-operator
; @name diamond operator (<>)
; @family generics
; @explains `new ArrayList<>()` lets the compiler infer the type arguments of a constructor call from the variable it is assigned to.
((type_arguments) @diamond-operator
  (#match? @diamond-operator "^<\\s*>$"))

; @construct explicit-type-arguments
; @name explicit type arguments on a call
; @family generics
; @explains `Collections.<String>emptyList()` states a generic method's type argument when the compiler cannot infer it.
(method_invocation
  type_arguments: (type_arguments)) @explicit-type-arguments

; ---------------------------------------------------------------------------------------------
; functional programming

; @construct lambda
; @name lambda expression
; @family functional
; @explains `(a, b) -> a + b` is an inline implementation of a functional interface (an interface with one abstract method), such as Comparator or Runnable.
(lambda_expression) @lambda

; @construct method-reference
; @name method reference (::)
; @family functional
; @explains `String::length` or `this::handle` passes an existing method where a lambda is expected, e.g. `map(String::trim)`.
(method_reference) @method-reference

; @construct stream-pipeline
; @name stream pipeline
; @family functional
; @explains `list.stream().filter(...).map(...).collect(...)` processes elements lazily through stages; nothing runs until a terminal operation like collect.
(method_invocation
  object: (method_invocation
    name: (identifier) @_stream)
  (#any-of? @_stream "stream" "parallelStream")) @stream-pipeline
(method_invocation
  object: (method_invocation
    object: (identifier) @_streams
    name: (identifier) @_factory)
  (#any-of? @_streams "Stream" "IntStream" "LongStream" "DoubleStream")
  (#any-of? @_factory "of" "range" "rangeClosed" "iterate" "generate" "concat")) @stream-pipeline

; @construct functional-interface-type
; @name java.util.function type
; @family functional
; @explains `Function<T, R>`, `Supplier<T>`, `Consumer<T>`, `Predicate<T>` and friends are ready-made functional interfaces for passing behaviour as values.
(generic_type
  (type_identifier) @_function
  (#any-of? @_function
    "Function" "BiFunction" "Supplier" "Consumer" "BiConsumer" "Predicate" "BiPredicate"
    "UnaryOperator" "BinaryOperator")) @functional-interface-type

; @construct optional
; @name Optional
; @family functional
; @explains `Optional<T>` holds a value or nothing, replacing null returns; `map`, `orElse` and `ifPresent` use it without a null check.
(generic_type
  (type_identifier) @_optional
  (#eq? @_optional "Optional")) @optional
(method_invocation
  object: (identifier) @_optional
  name: (identifier) @_make
  (#eq? @_optional "Optional")
  (#any-of? @_make "of" "ofNullable" "empty")) @optional

; @construct completable-future
; @name CompletableFuture
; @family concurrency
; @explains `CompletableFuture.supplyAsync(...)` runs work on another thread and returns a future whose result is combined with thenApply, thenCompose and join.
(method_invocation
  object: (identifier) @_future
  (#eq? @_future "CompletableFuture")) @completable-future

; ---------------------------------------------------------------------------------------------
; exceptions

; @construct try-with-resources
; @name try-with-resources
; @family exceptions
; @explains `try (var in = open()) { ... }` closes every resource declared in the parentheses automatically when the block ends, even on exceptions.
(try_with_resources_statement) @try-with-resources

; @construct multi-catch
; @name multi-catch (catch A | B)
; @family exceptions
; @explains `catch (IOException | SQLException e)` handles several unrelated exception types with one block.
(catch_clause
  (catch_formal_parameter
    (catch_type
      (_)
      (_)))) @multi-catch

; @construct try-finally
; @name finally block
; @family exceptions
; @explains A `finally { ... }` block runs after the try (and catch) blocks whether they completed normally, returned or threw.
(finally_clause) @try-finally

; @construct throws-clause
; @name throws clause
; @family exceptions
; @explains `throws IOException` after a method's parameters declares checked exceptions that callers must catch or declare in turn.
(throws) @throws-clause

; @construct custom-exception
; @name custom exception class
; @family exceptions
; @explains A class extending Exception (checked) or RuntimeException (unchecked) defines an error type that code can throw and catch by name.
(class_declaration
  superclass: (superclass
    (type_identifier) @_base)
  (#match? @_base "(Exception|Error|Throwable)$")) @custom-exception

; ---------------------------------------------------------------------------------------------
; annotations

; @construct annotation
; @name annotation use
; @family annotations
; @explains `@Override`, `@Deprecated` or `@Test` attach metadata to a declaration, read by the compiler, tools or frameworks at run time.
(marker_annotation) @annotation
(annotation) @annotation

; @construct annotation-definition
; @name annotation type definition (@interface)
; @family annotations
; @explains `@interface Name { String value() default ""; }` defines a new annotation with typed elements.
(annotation_type_declaration) @annotation-definition

; ---------------------------------------------------------------------------------------------
; types

; @construct record
; @name record
; @family types
; @explains `record Point(int x, int y) {}` declares an immutable data class with a constructor, accessors, equals, hashCode and toString generated.
(record_declaration) @record

; @construct compact-constructor
; @name compact record constructor
; @family types
; @explains `Point { ... }` inside a record, without a parameter list, validates or normalises the components before the fields are assigned.
(compact_constructor_declaration) @compact-constructor

; @construct enum
; @name enum
; @family types
; @explains `enum Color { RED, GREEN }` defines a fixed set of named instances of a class, usable in switch and comparable with `==`.
(enum_declaration) @enum

; @construct enum-with-members
; @name enum with fields or methods
; @family types
; @explains After the constants and a `;`, an enum may declare fields, a constructor and methods, so each constant carries data and behaviour.
(enum_body
  (enum_body_declarations
    (_))) @enum-with-members

; @construct enum-constant-body
; @name enum constant with its own body
; @family types
; @explains `PLUS { int apply(...) { ... } }` gives one enum constant its own class body, typically to override a method per constant.
(enum_constant
  body: (class_body)) @enum-constant-body

; @construct sealed-type
; @name sealed class or interface (permits)
; @family types
; @explains `sealed interface Shape permits Circle, Square` lists every allowed subtype, so a switch over them can be checked for completeness.
(class_declaration
  (modifiers ["sealed" "non-sealed"])) @sealed-type
(interface_declaration
  (modifiers ["sealed" "non-sealed"])) @sealed-type

; @construct abstract-class
; @name abstract class
; @family types
; @explains An `abstract class` cannot be instantiated; subclasses inherit its code and must implement its abstract methods.
(class_declaration
  (modifiers "abstract")) @abstract-class

; @construct default-method
; @name interface default method
; @family types
; @explains A `default` method in an interface has a body that implementing classes inherit unless they override it.
(interface_body
  (method_declaration
    (modifiers "default")) @default-method)

; @construct anonymous-class
; @name anonymous class
; @family types
; @explains `new Interface() { ... }` defines and instantiates a one-off unnamed class in a single expression.
(object_creation_expression
  (class_body)) @anonymous-class

; @construct inner-class
; @name inner class (non-static)
; @family types
; @explains A class declared inside another without `static`: each instance belongs to an instance of the outer class and can use its fields.
(class_body
  (class_declaration
    .
    name: (identifier)) @inner-class)
(class_body
  (class_declaration
    (modifiers) @_modifiers) @inner-class
  (#not-match? @_modifiers "\\bstatic\\b"))

; @construct static-nested-class
; @name static nested class
; @family types
; @explains A `static class` inside another is an ordinary class namespaced by its outer class, with no link to an outer instance.
(class_body
  (class_declaration
    (modifiers "static")) @static-nested-class)

; @construct static-initializer
; @name static initializer block
; @family types
; @explains `static { ... }` in a class body runs once, when the class is first loaded, to set up static fields.
(static_initializer) @static-initializer

; @construct instance-initializer
; @name instance initializer block
; @family types
; @explains A bare `{ ... }` in a class body runs for every new instance, before the constructor body.
(class_body
  (block) @instance-initializer)

; @construct constructor-chaining
; @name constructor chaining this(...)
; @family types
; @explains `this(...)` as a constructor's first statement delegates to another constructor of the same class.
(explicit_constructor_invocation
  constructor: (this)) @constructor-chaining

; @construct varargs
; @name varargs parameter (T...)
; @family types
; @explains A last parameter `String... names` accepts any number of arguments, seen inside the method as an array.
(spread_parameter) @varargs

; @construct var
; @name local variable type inference (var)
; @family types
; @explains `var list = new ArrayList<String>();` lets the compiler infer a local variable's type from its initialiser; the type is still fixed.
(local_variable_declaration
  type: (type_identifier) @_var
  (#eq? @_var "var")) @var
(enhanced_for_statement
  type: (type_identifier) @_var
  (#eq? @_var "var")) @var
(resource
  type: (type_identifier) @_var
  (#eq? @_var "var")) @var

; ---------------------------------------------------------------------------------------------
; control flow

; @construct arrow-switch
; @name switch with arrow cases (case ->)
; @family control flow
; @explains `case A, B -> ...` runs only that case's code, with no fall-through and no break needed.
(switch_expression
  body: (switch_block
    (switch_rule))) @arrow-switch

; @construct switch-expression
; @name switch expression (switch as a value)
; @family control flow
; @explains A switch used as a value, `int n = switch (k) { ... };`, must cover every case and produces each case's result (with `yield` in blocks).
(variable_declarator
  value: (switch_expression) @switch-expression)
(return_statement
  (switch_expression) @switch-expression)
(assignment_expression
  right: (switch_expression) @switch-expression)
(argument_list
  (switch_expression) @switch-expression)
(lambda_expression
  body: (switch_expression) @switch-expression)
(yield_statement
  (switch_expression) @switch-expression)

; @construct yield
; @name yield in a switch expression
; @family control flow
; @explains `yield value;` inside a block of a switch expression ends the block and makes value the switch's result.
(yield_statement) @yield

; @construct switch-fallthrough
; @name switch case fall-through
; @family control flow
; @explains In a `case X:` switch, a group of statements that does not end with break, return, throw, continue or yield runs on into the next case.
(switch_block
  (switch_block_statement_group
    (switch_label)
    (_) @_last_statement .) @switch-fallthrough
  .
  [(line_comment) (block_comment)]*
  .
  (switch_block_statement_group)
  (#not-match? @_last_statement "^(break|return|throw|continue|yield)\\b|^\\{[\\s\\S]*\\b(break|return|throw|continue|yield)\\b[^;{}]*;?\\s*\\}$|^(case|default)\\b"))

; @construct pattern-instanceof
; @name pattern matching instanceof
; @family pattern matching
; @explains `if (obj instanceof String s)` tests the type and, when it matches, binds the value already cast to a new variable s.
(instanceof_expression
  name: (identifier)) @pattern-instanceof
(instanceof_expression
  pattern: (_)) @pattern-instanceof

; @construct record-pattern
; @name record pattern
; @family pattern matching
; @explains `case Point(int x, int y)` or `obj instanceof Point(var x, var y)` matches a record and binds its components in one step.
(record_pattern) @record-pattern

; @construct switch-type-pattern
; @name type pattern in a switch
; @family pattern matching
; @explains `case Circle c ->` selects the case by the runtime type of the switched value and binds it, cast, to c.
(switch_label
  (pattern
    (type_pattern))) @switch-type-pattern

; @construct switch-guard
; @name guarded case (when)
; @family pattern matching
; @explains `case Circle c when c.r() > 10 ->` adds a condition that must also hold for the pattern case to be chosen.
(guard) @switch-guard

; @construct enhanced-for
; @name enhanced for loop (for-each)
; @family control flow
; @explains `for (String s : list)` runs the body once for each element of an array or Iterable.
(enhanced_for_statement) @enhanced-for

; @construct labeled-statement
; @name labeled statement
; @family control flow
; @explains `outer:` before a loop lets a nested `break outer` or `continue outer` leave or continue that outer loop directly.
(labeled_statement) @labeled-statement

; @construct labeled-break-continue
; @name labeled break or continue
; @family control flow
; @explains `break outer;` or `continue outer;` jumps out of, or to the next round of, the loop labeled `outer` instead of the innermost one.
(break_statement
  (identifier)) @labeled-break-continue
(continue_statement
  (identifier)) @labeled-break-continue

; @construct ternary
; @name conditional (ternary) operator
; @family control flow
; @explains `cond ? a : b` is an expression that evaluates to a when cond is true and to b otherwise.
(ternary_expression) @ternary

; @construct do-while
; @name do...while loop
; @family control flow
; @explains `do { ... } while (cond);` runs the body once before checking the condition, then repeats while it holds.
(do_statement) @do-while

; @construct assert
; @name assert statement
; @family control flow
; @explains `assert cond : "message";` throws an AssertionError when cond is false, but only when the JVM runs with assertions enabled (-ea).
(assert_statement) @assert

; @construct unsigned-right-shift
; @name unsigned right shift (>>>)
; @family operators
; @explains `x >>> n` shifts bits right filling with zeros, so negative numbers become large positive ones (`>>` keeps the sign).
(binary_expression
  operator: ">>>") @unsigned-right-shift

; ---------------------------------------------------------------------------------------------
; concurrency and imports

; @construct synchronized
; @name synchronized block or method
; @family concurrency
; @explains `synchronized (lock) { ... }` or a `synchronized` method lets only one thread at a time run the code while holding the object's monitor.
(synchronized_statement) @synchronized
(method_declaration
  (modifiers "synchronized")) @synchronized

; @construct volatile
; @name volatile field
; @family concurrency
; @explains A `volatile` field is always read from and written to main memory, so every thread sees the latest value (but `x++` is still not atomic).
(field_declaration
  (modifiers "volatile")) @volatile

; @construct static-import
; @name static import
; @family imports
; @explains `import static java.lang.Math.max;` lets code call a class's static members without the class name, as `max(a, b)`.
(import_declaration "static") @static-import

; @construct text-block
; @name text block (""")
; @family strings
; @explains A string between `"""` lines keeps its line breaks and strips the common indentation, for embedded JSON, SQL or HTML.
((string_literal) @text-block
  (#match? @text-block "^\"\"\""))
