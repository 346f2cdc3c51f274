; The Python construct catalogue. Format: see mindgap/knowledge/catalogue.py.
;
; Each construct is a skill a developer would name on its own ("a dict comprehension",
; "a metaclass"), not a grammar rule. What a pattern captures is where the construct shows:
; the whole statement or expression when it is one (a comprehension, a match statement),
; otherwise the part that carries it (the `@dataclass` decorator, the `Enum` base class, the
; `__eq__` method, the `else:` of a loop), so that an editor can mark it without marking a
; whole class. Every construct has a case that finds it and a near miss that does not in
; tests/unit/knowledge/test_python_constructs.py: those cases are its documentation.

; ---------------------------------------------------------------------------------------------
; Comprehensions and generators

; @construct list-comprehension
; @name list comprehension
; @family comprehensions and generators
; @explains Builds a list in one expression, `[f(x) for x in items if cond]`, instead of appending in a loop.
(list_comprehension) @list-comprehension

; @construct dict-comprehension
; @name dict comprehension
; @family comprehensions and generators
; @explains Builds a dict in one expression, `{key: value for ... in ...}`, from any iterable.
(dictionary_comprehension) @dict-comprehension

; @construct set-comprehension
; @name set comprehension
; @family comprehensions and generators
; @explains Builds a set (unique values, no order) in one expression, `{f(x) for x in items}`.
(set_comprehension) @set-comprehension

; @construct generator-expression
; @name generator expression
; @family comprehensions and generators
; @explains A lazy comprehension in parentheses, `(f(x) for x in items)`: values are produced one at a time as they are consumed, never stored as a list.
(generator_expression) @generator-expression

; @construct nested-comprehension
; @name comprehension with several `for` clauses
; @family comprehensions and generators
; @explains `[a * b for a in xs for b in ys]` loops over every combination; the clauses nest left to right like nested for-loops.
(list_comprehension (for_in_clause) (for_in_clause)) @nested-comprehension
(set_comprehension (for_in_clause) (for_in_clause)) @nested-comprehension
(dictionary_comprehension (for_in_clause) (for_in_clause)) @nested-comprehension
(generator_expression (for_in_clause) (for_in_clause)) @nested-comprehension

; @construct generator-function
; @name generator function (`yield`)
; @family comprehensions and generators
; @explains A function containing `yield` returns a generator: each `yield` hands one value to the caller and pauses the function until the next value is asked for.
(yield) @generator-function

; @construct yield-from
; @name `yield from` delegation
; @family comprehensions and generators
; @explains `yield from other` re-yields every value of another iterable or generator (and passes sent values and the return value through).
(yield "from") @yield-from

; @construct generator-send
; @name receiving values with `x = yield`
; @family comprehensions and generators
; @explains `x = yield value` makes a generator a coroutine: `x` receives whatever the caller passes to `gen.send(...)` when it resumes the generator.
(assignment right: (yield)) @generator-send

; ---------------------------------------------------------------------------------------------
; Functions

; @construct lambda
; @name lambda expression
; @family functions
; @explains An anonymous one-expression function, written inline where a function is expected.
(lambda) @lambda

; @construct lambda-sort-key
; @name lambda as a `key=` function
; @family functions
; @explains `sorted(items, key=lambda x: ...)` (also min, max, groupby) compares items by what the lambda returns for each, not by the items themselves.
(keyword_argument
  name: (identifier) @_key
  value: (lambda)
  (#eq? @_key "key")) @lambda-sort-key

; @construct closure
; @name closure (inner function using outer variables)
; @family functions
; @explains A function defined inside another keeps access to the outer function's variables after the outer call has returned; returning it makes a function factory.
(function_definition
  body: (block
    (function_definition name: (identifier) @_inner) @closure
    (return_statement (identifier) @_returned))
  (#eq? @_inner @_returned))
(function_definition
  body: (block
    (decorated_definition definition: (function_definition name: (identifier) @_inner) @closure)
    (return_statement (identifier) @_returned))
  (#eq? @_inner @_returned))
(function_definition
  body: (block (function_definition body: (block (nonlocal_statement))) @closure))
(function_definition
  body: (block (return_statement (lambda) @closure)))

; @construct global-statement
; @name `global` declaration
; @family functions
; @explains `global name` inside a function makes assignments to `name` change the module-level variable instead of creating a local one.
(global_statement) @global-statement

; @construct nonlocal-statement
; @name `nonlocal` declaration
; @family functions
; @explains `nonlocal name` inside a nested function makes assignments to `name` change the enclosing function's variable instead of creating a local one.
(nonlocal_statement) @nonlocal-statement

; ---------------------------------------------------------------------------------------------
; Decorators

; @construct decorator
; @name decorator
; @family decorators
; @explains `@something` above a def or class passes the function or class to `something` and binds its name to whatever that returns.
(decorator) @decorator

; @construct decorator-with-arguments
; @name decorator with arguments
; @family decorators
; @explains `@name(args)` first calls `name(args)`, and the result is the decorator applied to the function: a decorator factory.
(decorator (call)) @decorator-with-arguments

; @construct decorator-definition
; @name defining a decorator
; @family decorators
; @explains A function that takes a function, defines a wrapper that calls it (usually with `*args, **kwargs` and `@functools.wraps`), and returns the wrapper.
(function_definition
  body: (block
    (function_definition
      name: (identifier) @_wrapper
      parameters: (parameters [
        (list_splat_pattern)
        (typed_parameter (list_splat_pattern))]))
    (return_statement (identifier) @_returned))
  (#eq? @_wrapper @_returned)) @decorator-definition
(function_definition
  body: (block
    (decorated_definition
      (decorator [
        (call function: [(identifier) (attribute)] @_wraps)
        (identifier) @_wraps])
      definition: (function_definition name: (identifier) @_wrapper))
    (return_statement (identifier) @_returned))
  (#match? @_wraps "(^|\\.)wraps$")
  (#eq? @_wrapper @_returned)) @decorator-definition

; ---------------------------------------------------------------------------------------------
; Parameters

; @construct variadic-positional
; @name `*args` parameter
; @family parameters
; @explains `def f(*args)` collects any number of extra positional arguments into the tuple `args`.
(parameters (list_splat_pattern) @variadic-positional)
(parameters (typed_parameter (list_splat_pattern) @variadic-positional))
(lambda_parameters (list_splat_pattern) @variadic-positional)

; @construct variadic-keyword
; @name `**kwargs` parameter
; @family parameters
; @explains `def f(**kwargs)` collects any extra keyword arguments into the dict `kwargs`.
(parameters (dictionary_splat_pattern) @variadic-keyword)
(parameters (typed_parameter (dictionary_splat_pattern) @variadic-keyword))
(lambda_parameters (dictionary_splat_pattern) @variadic-keyword)

; @construct keyword-only-parameters
; @name keyword-only parameters (bare `*`)
; @family parameters
; @explains Parameters after a bare `*` in `def f(a, *, b)` can only be passed by name: `f(1, b=2)`, never `f(1, 2)`.
(keyword_separator) @keyword-only-parameters

; @construct positional-only-parameters
; @name positional-only parameters (`/`)
; @family parameters
; @explains Parameters before `/` in `def f(a, b, /, c)` can only be passed by position, so their names are not part of the function's interface.
(positional_separator) @positional-only-parameters

; ---------------------------------------------------------------------------------------------
; Expressions

; @construct conditional-expression
; @name conditional expression (ternary)
; @family expressions
; @explains `a if condition else b` is an expression worth `a` when the condition is true and `b` otherwise.
(conditional_expression) @conditional-expression

; @construct chained-comparison
; @name chained comparison
; @family expressions
; @explains `a < b <= c` means `a < b and b <= c`, with `b` evaluated only once.
(comparison_operator (_) (_) (_)) @chained-comparison

; @construct walrus
; @name assignment expression (walrus `:=`)
; @family expressions
; @explains `(name := value)` assigns and yields the value in the same expression, e.g. to test a result and keep it: `if (m := pattern.match(s)):`.
(named_expression) @walrus

; @construct percent-formatting
; @name printf-style `%` formatting
; @family expressions
; @explains `"%s has %d items" % (name, n)` fills the `%` placeholders of a string from a value or tuple: the oldest of Python's string formatting styles.
(binary_operator
  left: [(string) (concatenated_string)]
  operator: "%") @percent-formatting

; @construct matrix-multiplication
; @name matrix multiplication operator `@`
; @family expressions
; @explains `a @ b` calls `a.__matmul__(b)`: matrix product in NumPy and similar libraries (not a decorator).
(binary_operator operator: "@") @matrix-multiplication
(augmented_assignment operator: "@=") @matrix-multiplication

; ---------------------------------------------------------------------------------------------
; Unpacking and slicing

; @construct tuple-unpacking
; @name tuple unpacking assignment
; @family unpacking and slicing
; @explains `a, b = pair` assigns each item of an iterable to its own name (and `a, b = b, a` swaps them).
(assignment left: [(pattern_list) (tuple_pattern) (list_pattern)]) @tuple-unpacking

; @construct star-unpacking
; @name starred assignment target (`first, *rest = ...`)
; @family unpacking and slicing
; @explains In `first, *rest = items` the starred name takes a list of all the items the other names do not take.
(pattern_list (list_splat_pattern) @star-unpacking)
(tuple_pattern (list_splat_pattern) @star-unpacking)
(list_pattern (list_splat_pattern) @star-unpacking)

; @construct star-arguments
; @name unpacking an iterable into arguments (`f(*xs)`)
; @family unpacking and slicing
; @explains `f(*items)` passes each item of `items` as a separate positional argument.
(argument_list (list_splat) @star-arguments)

; @construct keyword-arguments-unpacking
; @name unpacking a dict into keyword arguments (`f(**kw)`)
; @family unpacking and slicing
; @explains `f(**options)` passes each key/value pair of the dict `options` as a keyword argument.
(argument_list (dictionary_splat) @keyword-arguments-unpacking)

; @construct star-in-literal
; @name unpacking into a list, tuple or set literal (`[*a, *b]`)
; @family unpacking and slicing
; @explains `[*a, *b, x]` builds a new list from all items of `a`, then all of `b`, then `x` (also for tuples and sets).
(list (list_splat) @star-in-literal)
(tuple (list_splat) @star-in-literal)
(set (list_splat) @star-in-literal)

; @construct dict-unpacking
; @name dict unpacking in a literal (`{**a, **b}`)
; @family unpacking and slicing
; @explains `{**defaults, **overrides}` builds a new dict from the pairs of each; later keys win.
(dictionary (dictionary_splat) @dict-unpacking)

; @construct slice-step
; @name slice with a step (`xs[::2]`, `xs[::-1]`)
; @family unpacking and slicing
; @explains The third number in `xs[start:stop:step]` takes every step-th item; a negative step walks backwards (`xs[::-1]` reverses).
(slice ":" ":" (_)) @slice-step

; ---------------------------------------------------------------------------------------------
; Context managers

; @construct with-statement
; @name `with` statement (using a context manager)
; @family context managers
; @explains `with resource as r:` sets the resource up, runs the block, and always cleans it up (closes, releases, rolls back), even when the block raises.
((with_statement) @with-statement
  (#not-match? @with-statement "^async"))

; @construct context-manager-class
; @name context manager class (`__enter__` / `__exit__`)
; @family context managers
; @explains A class with `__enter__` (runs at the start of a `with` block, its return value is the `as` target) and `__exit__` (runs at the end, even on an exception) can be used in `with`.
; (the other method is looked for by `#has-sibling-method?`: a pattern with both methods as
; siblings makes the query quadratic in the number of methods of every class it passes)
(class_definition
  body: (block
    (function_definition name: (identifier) @_enter) @context-manager-class)
  (#any-of? @_enter "__enter__" "__aenter__")
  (#has-sibling-method? @context-manager-class "__exit__" "__aexit__"))

; @construct contextmanager-decorator
; @name `@contextmanager` generator
; @family context managers
; @explains `@contextlib.contextmanager` turns a generator into a context manager: code before its single `yield` runs on entering the `with`, code after it on leaving.
(decorator
  [(identifier) @_name (attribute attribute: (identifier) @_name)]
  (#any-of? @_name "contextmanager" "asynccontextmanager")) @contextmanager-decorator

; ---------------------------------------------------------------------------------------------
; Async

; @construct async-def
; @name `async def` coroutine function
; @family async
; @explains Calling an `async def` function does not run it: it returns a coroutine that runs when awaited or scheduled on an event loop.
(function_definition "async") @async-def

; @construct await
; @name `await` expression
; @family async
; @explains `await x` suspends this coroutine until the awaitable `x` (a coroutine, task or future) has a result, letting other tasks run meanwhile.
(await) @await

; @construct async-with
; @name `async with`
; @family async
; @explains A `with` whose set-up and clean-up are awaited (`__aenter__` / `__aexit__`), for resources such as connections and locks in async code.
(with_statement "async") @async-with

; @construct async-for
; @name `async for` loop
; @family async
; @explains Loops over an asynchronous iterable, awaiting each next item (`__anext__`), e.g. rows streamed from a database.
(for_statement "async") @async-for

; @construct async-comprehension
; @name asynchronous comprehension
; @family async
; @explains `[x async for x in stream]` is a comprehension that awaits each item of an asynchronous iterable; it only works inside `async def`.
(for_in_clause "async") @async-comprehension

; ---------------------------------------------------------------------------------------------
; Pattern matching

; @construct match-statement
; @name match statement
; @family pattern matching
; @explains Compares a value against patterns in order and runs the block of the first case that fits.
(match_statement) @match-statement

; @construct class-pattern
; @name class pattern (`case Point(x=0)`)
; @family pattern matching
; @explains `case Point(x=0, y=y):` matches instances of `Point` whose `x` is 0 and binds their `y` attribute to the name `y`.
(class_pattern) @class-pattern

; @construct mapping-pattern
; @name mapping pattern (`case {"key": value}`)
; @family pattern matching
; @explains `case {"type": "click", "pos": pos}:` matches a dict that has those keys (extra keys are allowed) and binds the values.
(dict_pattern) @mapping-pattern

; @construct sequence-pattern
; @name sequence pattern (`case [first, *rest]`)
; @family pattern matching
; @explains `case [x, y]:` matches a sequence of exactly two items and binds them; `*rest` takes any remaining items.
(case_pattern (list_pattern) @sequence-pattern)
(case_pattern (tuple_pattern) @sequence-pattern)
(case_clause . (case_pattern) @sequence-pattern ",")

; @construct or-pattern
; @name or-pattern (`case A | B`)
; @family pattern matching
; @explains `case 401 | 403:` matches when any of the alternatives matches.
(union_pattern) @or-pattern

; @construct case-guard
; @name case guard (`case ... if`)
; @family pattern matching
; @explains `case Point(x=x) if x > 0:` matches only when the pattern fits and the condition after `if` is also true.
(case_clause guard: (if_clause) @case-guard)

; @construct case-as-pattern
; @name as-pattern in a case (`case ... as name`)
; @family pattern matching
; @explains `case [_, _] as pair:` binds the whole matched value to `pair` while the pattern checks its shape.
(case_pattern (as_pattern) @case-as-pattern)

; ---------------------------------------------------------------------------------------------
; Strings

; @construct fstring-format-spec
; @name f-string format spec (`{x:>10}`)
; @family strings
; @explains After the colon in `{value:>10.2f}` comes a format spec: alignment, width, precision, thousands separator, type.
(interpolation (format_specifier)) @fstring-format-spec

; @construct fstring-conversion
; @name f-string conversion (`{x!r}`)
; @family strings
; @explains `{value!r}` formats `repr(value)` instead of `str(value)` (`!s` is str, `!a` is ascii).
(interpolation (type_conversion)) @fstring-conversion

; @construct fstring-self-documenting
; @name self-documenting f-string (`{x=}`)
; @family strings
; @explains `f"{total=}"` gives the expression's text as well as its value, `total=42`: handy for debugging output.
(interpolation "=") @fstring-self-documenting

; ---------------------------------------------------------------------------------------------
; Exceptions

; @construct try-else
; @name `else` clause of a try
; @family exceptions
; @explains The `else:` block of a `try` runs only when the try block raised nothing, keeping code that should not be protected out of the try.
(try_statement (else_clause) @try-else)

; @construct try-finally
; @name `finally` clause
; @family exceptions
; @explains The `finally:` block always runs when leaving the try, whether it finished, raised, returned or broke out of a loop: clean-up goes there.
(try_statement (finally_clause) @try-finally)

; @construct except-group
; @name `except*` (exception groups)
; @family exceptions
; @explains `except* ValueError:` handles the ValueErrors inside an ExceptionGroup (as raised by task groups) and lets the rest of the group propagate.
(except_clause "*") @except-group

; @construct raise-from
; @name `raise ... from` (exception chaining)
; @family exceptions
; @explains `raise NewError(...) from err` records `err` as the direct cause of the new exception, shown in the traceback; `from None` hides the original.
(raise_statement cause: (_)) @raise-from

; @construct re-raise
; @name bare `raise` (re-raise)
; @family exceptions
; @explains A bare `raise` inside an `except` block raises the exception being handled again, with its original traceback.
((raise_statement) @re-raise
  (#eq? @re-raise "raise"))

; @construct custom-exception
; @name custom exception class
; @family exceptions
; @explains `class NotFound(LookupError):` declares an exception type of your own, so callers can catch exactly this error.
(class_definition
  superclasses: (argument_list [(identifier) (attribute)] @custom-exception)
  (#match? @custom-exception "(Error|Exception)$"))

; @construct assert
; @name `assert` statement
; @family exceptions
; @explains `assert condition, message` raises AssertionError when the condition is false; asserts are skipped entirely under `python -O`, so never use them for validation.
(assert_statement) @assert

; @construct optional-import
; @name optional import (`try: import ... except ImportError`)
; @family exceptions
; @explains Tries to import a module and falls back (to another module or to None) when it is not installed.
(try_statement
  body: (block [(import_statement) (import_from_statement)])
  (except_clause
    value: [
      (identifier) @_error
      (tuple (identifier) @_error)
      (as_pattern [(identifier) @_error (tuple (identifier) @_error)])])
  (#any-of? @_error "ImportError" "ModuleNotFoundError")) @optional-import

; ---------------------------------------------------------------------------------------------
; Loops

; @construct loop-else
; @name `else` clause of a loop
; @family loops
; @explains The `else:` block after a `for` or `while` loop runs only when the loop ended without `break`, e.g. "searched everything, found nothing".
(for_statement alternative: (else_clause) @loop-else)
(while_statement alternative: (else_clause) @loop-else)

; ---------------------------------------------------------------------------------------------
; Classes

; @construct dataclass
; @name `@dataclass`
; @family classes
; @explains `@dataclass` writes `__init__`, `__repr__` and `__eq__` for a class from its annotated fields (`x: int = 0`).
(decorator
  [(identifier) @_name
   (attribute attribute: (identifier) @_name)
   (call function: [(identifier) @_name (attribute attribute: (identifier) @_name)])]
  (#eq? @_name "dataclass")) @dataclass

; @construct dataclass-post-init
; @name dataclass `__post_init__`
; @family classes
; @explains A dataclass's generated `__init__` calls `__post_init__` after setting the fields: for validation and derived fields.
(class_definition
  body: (block (function_definition name: (identifier) @_name) @dataclass-post-init)
  (#eq? @_name "__post_init__"))

; @construct property
; @name `@property`
; @family classes
; @explains `@property` makes a method read like an attribute: `obj.area` calls the method with no parentheses.
(decorator (identifier) @_name (#eq? @_name "property")) @property

; @construct property-setter
; @name property setter (`@x.setter`)
; @family classes
; @explains `@area.setter` defines the method run by `obj.area = value` for a property (and `@area.deleter` for `del obj.area`).
(decorator
  (attribute attribute: (identifier) @_name)
  (#any-of? @_name "setter" "deleter")) @property-setter

; @construct classmethod
; @name `@classmethod`
; @family classes
; @explains A `@classmethod` receives the class (`cls`) instead of an instance; typical use is an alternative constructor like `Date.from_string(...)`.
(decorator (identifier) @_name (#eq? @_name "classmethod")) @classmethod

; @construct staticmethod
; @name `@staticmethod`
; @family classes
; @explains A `@staticmethod` receives neither instance nor class: a plain function kept in the class's namespace.
(decorator (identifier) @_name (#eq? @_name "staticmethod")) @staticmethod

; @construct super-call
; @name `super()` call
; @family classes
; @explains `super().method(...)` calls the next class's version of the method in the method resolution order, usually the parent's.
(call function: (identifier) @_name (#eq? @_name "super")) @super-call

; @construct multiple-inheritance
; @name multiple inheritance
; @family classes
; @explains `class C(A, B):` inherits from both; attribute lookup follows the method resolution order `C.__mro__` (C, A, B, ...).
(class_definition
  superclasses: (argument_list
    [(identifier) (attribute) (subscript)]
    [(identifier) (attribute) (subscript)]) @multiple-inheritance)

; @construct slots
; @name `__slots__`
; @family classes
; @explains `__slots__ = ("x", "y")` fixes the attributes instances may have: no per-instance `__dict__`, less memory, and typos in attribute names fail.
(class_definition
  body: (block
    (expression_statement
      (assignment left: (identifier) @_name) @slots))
  (#eq? @_name "__slots__"))

; @construct metaclass
; @name using a metaclass (`metaclass=`)
; @family classes
; @explains `class C(metaclass=Meta):` makes `Meta` create the class object itself, so it can change or register the class when it is defined.
(class_definition
  superclasses: (argument_list
    (keyword_argument name: (identifier) @_name) @metaclass)
  (#eq? @_name "metaclass"))

; @construct metaclass-definition
; @name defining a metaclass
; @family classes
; @explains A class deriving from `type` is a metaclass: its `__new__`/`__init__` run when classes using it are created.
(class_definition
  superclasses: (argument_list [(identifier) (attribute)] @metaclass-definition)
  (#any-of? @metaclass-definition
    "type" "ABCMeta" "abc.ABCMeta" "EnumMeta" "EnumType" "enum.EnumMeta" "enum.EnumType"))

; @construct init-subclass
; @name `__init_subclass__` hook
; @family classes
; @explains A base class's `__init_subclass__(cls, **kwargs)` runs whenever a subclass is defined, e.g. to register or validate subclasses without a metaclass.
(class_definition
  body: (block [
    (function_definition name: (identifier) @_name) @init-subclass
    (decorated_definition definition: (function_definition name: (identifier) @_name) @init-subclass)])
  (#eq? @_name "__init_subclass__"))

; @construct abstract-base-class
; @name abstract base class (`ABC`)
; @family classes
; @explains A class deriving from `abc.ABC` (or with `metaclass=ABCMeta`) can declare abstract methods; no class that still lacks one of them can be instantiated.
(class_definition
  superclasses: (argument_list [(identifier) (attribute)] @abstract-base-class)
  (#any-of? @abstract-base-class "ABC" "abc.ABC"))
(class_definition
  superclasses: (argument_list
    (keyword_argument
      name: (identifier) @_keyword
      value: [(identifier) (attribute)] @_meta) @abstract-base-class)
  (#eq? @_keyword "metaclass")
  (#any-of? @_meta "ABCMeta" "abc.ABCMeta"))

; @construct abstract-method
; @name `@abstractmethod`
; @family classes
; @explains `@abstractmethod` marks a method that every concrete subclass must override; until then the class cannot be instantiated.
(decorator
  [(identifier) @_name (attribute attribute: (identifier) @_name)]
  (#eq? @_name "abstractmethod")) @abstract-method

; @construct enum
; @name Enum class
; @family classes
; @explains `class Color(Enum): RED = 1` defines a fixed set of named constants: `Color.RED` is a unique member with `.name` and `.value`, and `Color` iterates over its members.
(class_definition
  superclasses: (argument_list [
    (identifier) @_name
    (attribute attribute: (identifier) @_name)] @enum)
  (#any-of? @_name "Enum" "IntEnum" "StrEnum" "Flag" "IntFlag" "ReprEnum"))

; @construct named-tuple
; @name named tuple
; @family classes
; @explains A tuple subclass whose items also have names (`p.x` as well as `p[0]`), declared with `class P(NamedTuple)` or `namedtuple("P", "x y")`.
(class_definition
  superclasses: (argument_list [
    (identifier) @_name
    (attribute attribute: (identifier) @_name)] @named-tuple)
  (#eq? @_name "NamedTuple"))
(call
  function: [(identifier) @_name (attribute attribute: (identifier) @_name)]
  (#eq? @_name "namedtuple")) @named-tuple

; ---------------------------------------------------------------------------------------------
; Special methods

; @construct equality-methods
; @name `__eq__` / `__hash__`
; @family special methods
; @explains Defining `__eq__` decides what `==` means for your objects, and makes them unhashable (no dict keys, no set members) unless a matching `__hash__` is defined too.
(class_definition
  body: (block (function_definition name: (identifier) @_name) @equality-methods)
  (#any-of? @_name "__eq__" "__ne__" "__hash__"))

; @construct ordering-methods
; @name ordering methods (`__lt__`, ...)
; @family special methods
; @explains Defining `__lt__`, `__le__`, `__gt__`, `__ge__` makes `<`, `<=`, `>`, `>=` (and so `sorted`, `min`, `max`) work on your objects.
(class_definition
  body: (block (function_definition name: (identifier) @_name) @ordering-methods)
  (#any-of? @_name "__lt__" "__le__" "__gt__" "__ge__"))

; @construct operator-overloading
; @name arithmetic operator overloading (`__add__`, ...)
; @family special methods
; @explains Defining `__add__`, `__mul__`, ... makes `+`, `*`, ... work on your objects; `__radd__` handles `other + obj`, `__iadd__` handles `obj += other`.
(class_definition
  body: (block (function_definition name: (identifier) @_name) @operator-overloading)
  (#match? @_name "^__[ri]?(add|sub|mul|matmul|truediv|floordiv|mod|divmod|pow|lshift|rshift|and|or|xor)__$"))
(class_definition
  body: (block (function_definition name: (identifier) @_name) @operator-overloading)
  (#any-of? @_name "__neg__" "__pos__" "__abs__" "__invert__"))

; @construct container-protocol
; @name container methods (`__getitem__`, `__len__`, ...)
; @family special methods
; @explains Defining `__getitem__`, `__setitem__`, `__len__`, `__contains__` makes `obj[key]`, `obj[key] = v`, `len(obj)` and `x in obj` work on your objects.
(class_definition
  body: (block (function_definition name: (identifier) @_name) @container-protocol)
  (#any-of? @_name
    "__getitem__" "__setitem__" "__delitem__" "__len__" "__contains__" "__missing__"
    "__reversed__"))

; @construct iterator-protocol
; @name iterator methods (`__iter__` / `__next__`)
; @family special methods
; @explains `__iter__` makes an object usable in `for` loops; `__next__` returns the next item or raises StopIteration to end the loop.
(class_definition
  body: (block (function_definition name: (identifier) @_name) @iterator-protocol)
  (#any-of? @_name "__iter__" "__next__" "__aiter__" "__anext__"))

; @construct callable-object
; @name callable object (`__call__`)
; @family special methods
; @explains Defining `__call__` lets instances be called like functions, `obj(args)`, while keeping state in attributes.
(class_definition
  body: (block (function_definition name: (identifier) @_name) @callable-object)
  (#eq? @_name "__call__"))

; @construct attribute-hooks
; @name attribute access hooks (`__getattr__`, ...)
; @family special methods
; @explains `__getattr__` runs when normal attribute lookup fails (`__getattribute__` on every lookup); `__setattr__` and `__delattr__` intercept assignment and deletion.
(class_definition
  body: (block (function_definition name: (identifier) @_name) @attribute-hooks)
  (#any-of? @_name "__getattr__" "__getattribute__" "__setattr__" "__delattr__"))

; @construct string-representation
; @name `__repr__` / `__str__`
; @family special methods
; @explains `__repr__` gives the unambiguous developer view of an object (shown in the REPL and by `!r`), `__str__` the readable one used by `print` and `str()`.
(class_definition
  body: (block (function_definition name: (identifier) @_name) @string-representation)
  (#any-of? @_name "__repr__" "__str__" "__format__"))

; @construct custom-new
; @name `__new__`
; @family special methods
; @explains `__new__(cls, ...)` creates the instance before `__init__` initialises it: needed to subclass immutable types or to control which object is returned.
(class_definition
  body: (block (function_definition name: (identifier) @_name) @custom-new)
  (#eq? @_name "__new__"))

; @construct descriptor
; @name descriptor (`__get__` / `__set__`)
; @family special methods
; @explains An object with `__get__`/`__set__` placed as a class attribute controls how that attribute is read and written on instances (the mechanism behind property).
(class_definition
  body: (block (function_definition name: (identifier) @_name) @descriptor)
  (#any-of? @_name "__get__" "__set__" "__delete__" "__set_name__"))

; ---------------------------------------------------------------------------------------------
; Typing

; @construct protocol
; @name Protocol (structural typing)
; @family typing
; @explains A class deriving from `typing.Protocol` describes the methods a type must have; for the type checker any class that has them matches, without inheriting from it.
(class_definition
  superclasses: (argument_list [
    (identifier) @_name
    (attribute attribute: (identifier) @_name)
    (subscript value: [(identifier) @_name (attribute attribute: (identifier) @_name)])] @protocol)
  (#eq? @_name "Protocol"))

; @construct typed-dict
; @name TypedDict
; @family typing
; @explains `class Movie(TypedDict): title: str` describes the keys and value types of a plain dict for the type checker; at run time it is an ordinary dict.
(class_definition
  superclasses: (argument_list [
    (identifier) @_name
    (attribute attribute: (identifier) @_name)] @typed-dict)
  (#eq? @_name "TypedDict"))
(call
  function: [(identifier) @_name (attribute attribute: (identifier) @_name)]
  (#eq? @_name "TypedDict")) @typed-dict

; @construct typevar
; @name TypeVar
; @family typing
; @explains `T = TypeVar("T")` declares a type variable, so a signature like `def first(xs: list[T]) -> T` says the result has the items' type.
(call
  function: [(identifier) @_name (attribute attribute: (identifier) @_name)]
  (#eq? @_name "TypeVar")) @typevar

; @construct paramspec
; @name ParamSpec / TypeVarTuple
; @family typing
; @explains `P = ParamSpec("P")` stands for a whole parameter list (typing decorators that keep the wrapped signature); TypeVarTuple stands for any number of types.
(call
  function: [(identifier) @_name (attribute attribute: (identifier) @_name)]
  (#any-of? @_name "ParamSpec" "TypeVarTuple")) @paramspec

; @construct generic-base-class
; @name `Generic[T]` base class
; @family typing
; @explains `class Box(Generic[T]):` makes a class generic, so `Box[int]` and `Box[str]` are distinct types for the type checker.
(class_definition
  superclasses: (argument_list
    (subscript value: [(identifier) @_name (attribute attribute: (identifier) @_name)]) @generic-base-class)
  (#eq? @_name "Generic"))

; @construct generic-function
; @name generic function (`def f[T]`)
; @family typing
; @explains `def first[T](xs: list[T]) -> T:` declares the type parameter `T` right in the signature (Python 3.12+), without a TypeVar.
(function_definition type_parameters: (type_parameter) @generic-function)

; @construct generic-class
; @name generic class (`class C[T]`)
; @family typing
; @explains `class Box[T]:` declares a generic class with type parameter `T` (Python 3.12+), replacing `Generic[T]` and a TypeVar.
(class_definition type_parameters: (type_parameter) @generic-class)

; @construct type-alias-statement
; @name `type` alias statement
; @family typing
; @explains `type Pairs = list[tuple[int, int]]` declares a named type alias (Python 3.12+); its value is evaluated lazily, so it may refer to itself.
(type_alias_statement) @type-alias-statement

; @construct overload
; @name `@overload`
; @family typing
; @explains `@typing.overload` declares several signatures of one function for the type checker; only the final, undecorated definition runs.
(decorator
  [(identifier) @_name (attribute attribute: (identifier) @_name)]
  (#eq? @_name "overload")) @overload

; @construct union-type-operator
; @name union type with `|` (`int | None`)
; @family typing
; @explains `int | None` in an annotation means "an int or None" (Python 3.10+ syntax for `Optional[int]` / `Union[...]`).
(typed_parameter type: (type [(binary_operator operator: "|") (union_type)] @union-type-operator))
(typed_default_parameter type: (type [(binary_operator operator: "|") (union_type)] @union-type-operator))
(function_definition return_type: (type [(binary_operator operator: "|") (union_type)] @union-type-operator))
(assignment type: (type [(binary_operator operator: "|") (union_type)] @union-type-operator))
(type_parameter (type [(binary_operator operator: "|") (union_type)] @union-type-operator))

; @construct type-checking-guard
; @name `if TYPE_CHECKING:` imports
; @family typing
; @explains `typing.TYPE_CHECKING` is false at run time and true for type checkers: imports under it are only for annotations, avoiding import cycles and start-up cost.
(if_statement
  condition: [(identifier) (attribute)] @_condition
  (#match? @_condition "(^|\\.)TYPE_CHECKING$")) @type-checking-guard

; ---------------------------------------------------------------------------------------------
; Imports and reflection

; @construct relative-import
; @name relative import (`from . import x`)
; @family imports
; @explains `from .sibling import name` imports from the current package (each extra dot goes one package up), independent of the package's own name.
(import_from_statement module_name: (relative_import)) @relative-import

; @construct wildcard-import
; @name wildcard import (`from m import *`)
; @family imports
; @explains `from module import *` binds every public name of the module (its `__all__`, if defined) in this namespace, which hides where names come from.
(import_from_statement (wildcard_import)) @wildcard-import

; @construct dynamic-attribute
; @name `getattr` / `setattr` / `hasattr` / `delattr`
; @family reflection
; @explains `getattr(obj, "name", default)` reads an attribute whose name is only known at run time; setattr, hasattr and delattr write, test and delete one.
(call
  function: (identifier) @_name
  (#any-of? @_name "getattr" "setattr" "hasattr" "delattr")) @dynamic-attribute

; @construct eval-exec
; @name `eval` / `exec`
; @family reflection
; @explains `eval(text)` evaluates a string as a Python expression and `exec(text)` runs it as statements: dangerous with any untrusted input.
(call
  function: (identifier) @_name
  (#any-of? @_name "eval" "exec")) @eval-exec
