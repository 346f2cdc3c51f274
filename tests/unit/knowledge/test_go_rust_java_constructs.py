"""The Go, Rust and Java construct catalogues, one case per construct: this file is their
documentation.

Each case is a snippet that contains the construct, with `// <-` at the end of the line where
the construct starts (or `/* <- */` where a line comment cannot go), and a near miss: the
closest code that does not contain it. Snippets may be bare statements: the three grammars
accept them at the top level, which keeps the examples short.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import pytest

from mindgap.knowledge.catalogue import ConstructHit, catalogue
from mindgap.syntax.languages import language_named
from tests.unit.knowledge.catalogue_checks import assert_metadata, assert_one_case_per_construct

MARKERS = ("// <-", "/* <- */")


@dataclass(frozen=True)
class Case:
    construct: str
    snippet: str
    near_miss: str


GO = [
    # Concurrency
    Case("goroutine", "go worker(jobs) // <-", "worker(jobs)"),
    Case(
        "make-channel",
        "results := make(chan int) // <-",
        "results := make([]int, 0)",
    ),
    Case(
        "buffered-channel",
        "jobs := make(chan Job, 100) // <-",
        "jobs := make(chan Job)",
    ),
    Case(
        "directional-channel",
        """
        func produce(out chan<- int) { // <-
            out <- 1
        }
        """,
        """
        func produce(out chan int) {
            out <- 1
        }
        """,
    ),
    Case("channel-send", "results <- value // <-", "results = append(results, value)"),
    Case("channel-receive", "value := <-results // <-", "value := results[0]"),
    Case(
        "select",
        """
        select { // <-
        case msg := <-inbox:
            handle(msg)
        case <-done:
            return
        }
        """,
        """
        switch msg := next(); msg {
        case "quit":
            return
        }
        """,
    ),
    Case(
        "non-blocking-select",
        """
        select { // <-
        case msg := <-inbox:
            handle(msg)
        default:
            idle()
        }
        """,
        """
        select {
        case msg := <-inbox:
            handle(msg)
        case <-done:
            return
        }
        """,
    ),
    Case("mutex", "var mu sync.Mutex // <-", "var cache sync.Map"),
    Case("wait-group", "var wg sync.WaitGroup // <-", "var once sync.Once"),
    Case(
        "context-cancellation",
        "ctx, cancel := context.WithTimeout(parent, time.Second) // <-",
        "ctx := context.Background()",
    ),
    # Functions
    Case(
        "closure",
        "add := func(a, b int) int { return a + b } // <-",
        "func add(a, b int) int { return a + b }",
    ),
    Case("defer", "defer file.Close() // <-", "file.Close()"),
    Case("panic", 'panic("unreachable") // <-', 'log.Fatal("unreachable")'),
    Case(
        "recover",
        """
        defer func() {
            if r := recover(); r != nil { // <-
                log.Println(r)
            }
        }()
        """,
        """
        defer func() {
            if err := cleanup(); err != nil {
                log.Println(err)
            }
        }()
        """,
    ),
    Case(
        "variadic-function",
        """
        func sum(numbers ...int) int { // <-
            return len(numbers)
        }
        """,
        """
        func sum(numbers []int) int {
            return len(numbers)
        }
        """,
    ),
    Case("variadic-call", "total := sum(numbers...) // <-", "total := sum(numbers)"),
    Case(
        "multiple-return-values",
        """
        func divide(a, b int) (int, error) { // <-
            return a / b, nil
        }
        """,
        """
        func divide(a, b int) int {
            return a / b
        }
        """,
    ),
    Case(
        "named-results",
        """
        func split(sum int) (x, y int) { // <-
            x = sum / 2
            y = sum - x
            return
        }
        """,
        """
        func split(sum int) (int, int) {
            return sum / 2, sum - sum/2
        }
        """,
    ),
    Case(
        "init-function",
        """
        func init() { // <-
            register()
        }
        """,
        """
        func initialize() {
            register()
        }
        """,
    ),
    Case(
        "function-type",
        "type HandlerFunc func(w Writer, r *Request) // <-",
        """
        type Handler interface {
            Serve(w Writer, r *Request)
        }
        """,
    ),
    # Types and methods
    Case(
        "method",
        """
        func (c Circle) Area() float64 { // <-
            return c.r * c.r
        }
        """,
        """
        func Area(c Circle) float64 {
            return c.r * c.r
        }
        """,
    ),
    Case(
        "pointer-receiver",
        """
        func (c *Counter) Inc() { // <-
            c.n++
        }
        """,
        """
        func (c Counter) Get() int {
            return c.n
        }
        """,
    ),
    Case(
        "interface",
        """
        type Shape interface { // <-
            Area() float64
        }
        """,
        """
        type Shape struct {
            Area float64
        }
        """,
    ),
    Case(
        "interface-embedding",
        """
        type ReadWriter interface {
            io.Reader // <-
            Write(p []byte) (int, error)
        }
        """,
        """
        type ReadWriter interface {
            Read(p []byte) (int, error)
            Write(p []byte) (int, error)
        }
        """,
    ),
    Case(
        "struct-embedding",
        """
        type Admin struct {
            User // <-
            Level int
        }
        """,
        """
        type Admin struct {
            User  User
            Level int
        }
        """,
    ),
    Case(
        "struct-tag",
        """
        type User struct {
            Name string `json:"name"` // <-
        }
        """,
        """
        type User struct {
            Name string // the name
        }
        """,
    ),
    Case(
        "anonymous-struct",
        "point := struct{ X, Y int }{1, 2} // <-",
        "point := Point{X: 1, Y: 2}",
    ),
    Case(
        "type-switch",
        """
        switch v := value.(type) { // <-
        case int:
            use(v)
        }
        """,
        """
        switch value {
        case 1:
            use(value)
        }
        """,
    ),
    Case("type-assertion", "text, ok := value.(string) // <-", "text, ok := lookup[value]"),
    Case("type-alias", "type Celsius = float64 // <-", "type Celsius float64"),
    Case(
        "iota",
        """
        const (
            Red Color = iota // <-
            Green
        )
        """,
        """
        const (
            Red   Color = 0
            Green Color = 1
        )
        """,
    ),
    # Generics
    Case(
        "generic-function",
        """
        func Map[T, U any](xs []T, f func(T) U) []U { // <-
            return nil
        }
        """,
        """
        func Map(xs []int, f func(int) int) []int {
            return nil
        }
        """,
    ),
    Case(
        "generic-type",
        """
        type Stack[T any] struct { // <-
            items []T
        }
        """,
        """
        type Stack struct {
            items []any
        }
        """,
    ),
    Case(
        "type-set-constraint",
        """
        type Number interface {
            ~int | ~float64 // <-
        }
        """,
        """
        type Number interface {
            String() string
        }
        """,
    ),
    # Control flow
    Case(
        "range-loop",
        """
        for i, v := range items { // <-
            use(i, v)
        }
        """,
        """
        for i := 0; i < len(items); i++ {
            use(i, items[i])
        }
        """,
    ),
    Case(
        "range-over-int",
        """
        for i := range 10 { // <-
            use(i)
        }
        """,
        """
        for i := range items {
            use(i)
        }
        """,
    ),
    Case(
        "infinite-loop",
        """
        for { // <-
            poll()
        }
        """,
        """
        for running {
            poll()
        }
        """,
    ),
    Case(
        "if-with-initializer",
        """
        if err := save(); err != nil { // <-
            return err
        }
        """,
        """
        err := save()
        if err != nil {
            return err
        }
        """,
    ),
    Case(
        "tagless-switch",
        """
        switch { // <-
        case n < 0:
            sign = -1
        case n > 0:
            sign = 1
        }
        """,
        """
        switch n {
        case 0:
            sign = 0
        }
        """,
    ),
    Case(
        "fallthrough",
        """
        switch n {
        case 0:
            zero()
            fallthrough // <-
        case 1:
            small()
        }
        """,
        """
        switch n {
        case 0, 1:
            small()
        }
        """,
    ),
    Case(
        "labeled-statement",
        """
        func find(grid [][]bool) {
        outer: // <-
            for _, row := range grid {
                for _, cell := range row {
                    if cell {
                        break outer
                    }
                }
            }
        }
        """,
        """
        func find(grid [][]bool) {
            for _, row := range grid {
                for _, cell := range row {
                    if cell {
                        break
                    }
                }
            }
        }
        """,
    ),
    Case(
        "labeled-break-continue",
        """
        func find(grid [][]bool) {
        outer:
            for _, row := range grid {
                for _, cell := range row {
                    if cell {
                        continue outer // <-
                    }
                }
            }
        }
        """,
        """
        func find(grid [][]bool) {
            for _, row := range grid {
                for _, cell := range row {
                    if cell {
                        continue
                    }
                }
            }
        }
        """,
    ),
    Case("goto", "goto retry // <-", "retry()"),
    # Errors
    Case(
        "error-wrapping",
        'return fmt.Errorf("load %s: %w", path, err) // <-',
        'return fmt.Errorf("load %s: %v", path, err)',
    ),
    Case(
        "error-inspection",
        """
        if errors.Is(err, fs.ErrNotExist) { // <-
            create()
        }
        """,
        """
        if err == fs.ErrNotExist {
            create()
        }
        """,
    ),
    # Slices, arrays, packages
    Case("full-slice-expression", "head := buf[0:4:4] // <-", "head := buf[0:4]"),
    Case("implicit-length-array", "primes := [...]int{2, 3, 5} // <-", "primes := []int{2, 3, 5}"),
    Case("blank-import", 'import _ "github.com/lib/pq" // <-', 'import "github.com/lib/pq"'),
    Case("dot-import", 'import . "math" // <-', 'import m "math"'),
    Case(
        "compiler-directive",
        """
        //go:embed templates/* // <-
        var templates embed.FS
        """,
        """
        // go:embed is not a directive with a space after the slashes
        var templates embed.FS
        """,
    ),
]

RUST = [
    # Ownership and borrowing
    Case(
        "lifetime",
        """
        fn longest<'a>(x: &'a str, y: &'a str) -> &'a str { // <-
            x
        }
        """,
        """
        fn longest(x: &str, y: &str) -> String {
            x.to_string()
        }
        """,
    ),
    Case(
        "static-lifetime",
        'const GREETING: &\'static str = "hi"; // <-',
        'const GREETING: &str = "hi";',
    ),
    Case("mutable-reference", "push_all(&mut items); // <-", "push_all(&items);"),
    Case(
        "slice-type",
        """
        fn total(values: &[i32]) -> i32 { // <-
            values.iter().sum()
        }
        """,
        """
        fn total(values: &[i32; 3]) -> i32 {
            values.iter().sum()
        }
        """,
    ),
    Case("range-slicing", "let head = &data[..4]; // <-", "let head = data[4];"),
    Case(
        "raw-pointer",
        "let ptr: *const u8 = bytes.as_ptr(); // <-",
        "let first: &u8 = &bytes[0];",
    ),
    Case(
        "box",
        "let node: Box<Node> = Box::new(Node::leaf()); // <-",
        "let node: Node = Node::leaf();",
    ),
    Case(
        "reference-counting", "let shared = Rc::new(config); // <-", "let shared = config.clone();"
    ),
    Case(
        "interior-mutability",
        "let cache = RefCell::new(HashMap::new()); // <-",
        "let cache = HashMap::new();",
    ),
    Case(
        "shadowing",
        """
        fn parse() {
            let input = read_line();
            let input = input.trim(); // <-
        }
        """,
        """
        fn parse() {
            let input = read_line();
            let trimmed = input.trim();
        }
        """,
    ),
    # Traits and generics
    Case(
        "trait-definition",
        """
        trait Shape { // <-
            fn area(&self) -> f64;
        }
        """,
        """
        struct Shape {
            area: f64,
        }
        """,
    ),
    Case(
        "trait-impl",
        """
        impl Display for Point { // <-
            fn fmt(&self, f: &mut Formatter) -> fmt::Result {
                write!(f, "p")
            }
        }
        """,
        """
        impl Point {
            fn fmt(&self) -> String {
                String::new()
            }
        }
        """,
    ),
    Case(
        "inherent-impl",
        """
        impl Point { // <-
            fn new() -> Self {
                Point { x: 0 }
            }
        }
        """,
        """
        impl Default for Point {
            fn default() -> Self {
                Point { x: 0 }
            }
        }
        """,
    ),
    Case(
        "default-method",
        """
        trait Greet {
            fn name(&self) -> String;
            fn greet(&self) -> String { // <-
                format!("hi {}", self.name())
            }
        }
        """,
        """
        trait Greet {
            fn name(&self) -> String;
            fn greet(&self) -> String;
        }
        """,
    ),
    Case("trait-object", "fn draw(shape: &dyn Shape) {} // <-", "fn draw(shape: &Circle) {}"),
    Case(
        "impl-trait",
        """
        fn evens() -> impl Iterator<Item = u32> { // <-
            (0..10).filter(|n| n % 2 == 0)
        }
        """,
        """
        fn evens() -> Vec<u32> {
            vec![0, 2]
        }
        """,
    ),
    Case(
        "generic-function",
        """
        fn largest<T: PartialOrd>(items: &[T]) -> &T { // <-
            &items[0]
        }
        """,
        # Lifetime parameters alone do not make a function generic over types.
        """
        fn first<'a>(items: &'a [i32]) -> &'a i32 {
            &items[0]
        }
        """,
    ),
    Case(
        "generic-type",
        """
        struct Point<T> { // <-
            x: T,
        }
        """,
        """
        struct Point<'a> {
            x: &'a str,
        }
        """,
    ),
    Case("trait-bound", "fn show<T: Display>(value: T) {} // <-", "fn show<T>(value: T) {}"),
    Case(
        "where-clause",
        """
        fn show<T>(value: T)
        where // <-
            T: Display,
        {
        }
        """,
        "fn show<T: Display>(value: T) {}",
    ),
    Case(
        "associated-type",
        """
        trait Container {
            type Item; // <-
            fn get(&self) -> Self::Item;
        }
        """,
        """
        trait Container<Item> {
            fn get(&self) -> Item;
        }
        """,
    ),
    Case(
        "const-generics",
        """
        struct Matrix<const N: usize> { // <-
            cells: [f64; N],
        }
        """,
        """
        struct Matrix {
            cells: [f64; 9],
        }
        """,
    ),
    Case(
        "turbofish",
        "let number = input.parse::<i32>(); // <-",
        "let number: i32 = input.parse().unwrap();",
    ),
    Case(
        "blanket-impl",
        """
        impl<T: Display> Describe for T { // <-
            fn describe(&self) -> String {
                self.to_string()
            }
        }
        """,
        """
        impl Describe for Point {
            fn describe(&self) -> String {
                String::new()
            }
        }
        """,
    ),
    Case(
        "fn-trait-bound",
        """
        fn apply<F: Fn(i32) -> i32>(f: F) -> i32 { // <-
            f(1)
        }
        """,
        # A plain function pointer type is not a closure trait bound.
        """
        fn apply(f: fn(i32) -> i32) -> i32 {
            f(1)
        }
        """,
    ),
    Case(
        "operator-overloading",
        """
        impl Add for Money { // <-
            type Output = Money;
            fn add(self, other: Money) -> Money {
                Money(self.0 + other.0)
            }
        }
        """,
        """
        impl Money {
            fn add(self, other: Money) -> Money {
                Money(self.0 + other.0)
            }
        }
        """,
    ),
    Case(
        "drop-impl",
        """
        impl Drop for Connection { // <-
            fn drop(&mut self) {
                self.close();
            }
        }
        """,
        """
        impl Connection {
            fn close(&mut self) {}
        }
        """,
    ),
    Case(
        "conversion-impl",
        """
        impl From<io::Error> for AppError { // <-
            fn from(e: io::Error) -> Self {
                AppError::Io(e)
            }
        }
        """,
        """
        impl AppError {
            fn from_io(e: io::Error) -> Self {
                AppError::Io(e)
            }
        }
        """,
    ),
    Case(
        "iterator-impl",
        """
        impl Iterator for Counter { // <-
            type Item = u32;
            fn next(&mut self) -> Option<u32> {
                None
            }
        }
        """,
        """
        impl Counter {
            fn next(&mut self) -> Option<u32> {
                None
            }
        }
        """,
    ),
    Case(
        "derive",
        """
        #[derive(Debug, Clone)] // <-
        struct Point(i32, i32);
        """,
        """
        #[allow(dead_code)]
        struct Point(i32, i32);
        """,
    ),
    # Enums and pattern matching
    Case(
        "enum-with-data",
        """
        enum Shape { // <-
            Circle(f64),
            Rect { w: f64, h: f64 },
        }
        """,
        """
        enum Color {
            Red,
            Green,
        }
        """,
    ),
    Case(
        "match",
        """
        let name = match code { // <-
            1 => "one",
            _ => "many",
        };
        """,
        'let name = if code == 1 { "one" } else { "many" };',
    ),
    Case(
        "match-guard",
        """
        match n {
            x if x < 0 => negative(), // <-
            _ => positive(),
        }
        """,
        """
        match n {
            0 => zero(),
            _ => positive(),
        }
        """,
    ),
    Case(
        "or-pattern",
        """
        match c {
            'a' | 'e' => vowel(), // <-
            _ => other(),
        }
        """,
        """
        match c {
            'a' => vowel(),
            _ => other(),
        }
        """,
    ),
    Case(
        "binding-pattern",
        """
        match age {
            n @ 13..=19 => teen(n), // <-
            _ => other(),
        }
        """,
        """
        match age {
            13..=19 => teen(age),
            _ => other(),
        }
        """,
    ),
    Case(
        "range-pattern",
        """
        match age {
            0..=12 => child(), // <-
            _ => adult(),
        }
        """,
        """
        match age {
            0 => baby(),
            _ => adult(),
        }
        """,
    ),
    Case(
        "slice-pattern",
        """
        match items {
            [first, .., last] => both(first, last), // <-
            _ => none(),
        }
        """,
        """
        match items.len() {
            0 => none(),
            _ => some(),
        }
        """,
    ),
    Case(
        "struct-pattern",
        "let Point { x, y } = point; // <-",
        "let (x, y) = (point.x, point.y);",
    ),
    Case(
        "ref-pattern",
        """
        match value {
            Some(ref name) => greet(name), // <-
            None => {}
        }
        """,
        """
        match &value {
            Some(name) => greet(name),
            None => {}
        }
        """,
    ),
    Case(
        "if-let",
        """
        if let Some(user) = find(id) { // <-
            greet(user);
        }
        """,
        """
        if find(id).is_some() {
            greet(id);
        }
        """,
    ),
    Case(
        "while-let",
        """
        while let Some(job) = queue.pop() { // <-
            run(job);
        }
        """,
        """
        while !queue.is_empty() {
            run(queue.pop());
        }
        """,
    ),
    Case(
        "let-else",
        """
        let Some(user) = find(id) else { // <-
            return;
        };
        """,
        "let user = find(id).unwrap();",
    ),
    Case(
        "matches-macro",
        "let is_digit = matches!(c, '0'..='9'); // <-",
        "let is_digit = c.is_ascii_digit();",
    ),
    # Closures, iterators and error handling
    Case(
        "closure",
        "let double = |x| x * 2; // <-",
        """
        fn double(x: i32) -> i32 {
            x * 2
        }
        """,
    ),
    Case(
        "move-closure",
        "let handle = thread::spawn(move || work(data)); // <-",
        "let handle = thread::spawn(|| work());",
    ),
    Case(
        "iterator-chain",
        "let squares: Vec<i32> = xs.iter().map(|x| x * x).collect(); // <-",
        "let first = xs.iter().next();",
    ),
    Case(
        "question-mark",
        "let text = fs::read_to_string(path)?; // <-",
        "let text = fs::read_to_string(path).unwrap();",
    ),
    Case(
        "option-result-combinator",
        'let port = env::var("PORT").ok().and_then(|p| p.parse().ok()); // <-',
        'let port = env::var("PORT").unwrap();',
    ),
    # Macros, unsafe, async
    Case(
        "macro-definition",
        """
        macro_rules! square { // <-
            ($x:expr) => {
                $x * $x
            };
        }
        """,
        """
        fn square(x: i32) -> i32 {
            x * x
        }
        """,
    ),
    Case("macro-invocation", 'println!("{}", total); // <-', "print_total(total);"),
    Case(
        "cfg-attribute",
        """
        #[cfg(test)] // <-
        mod tests {}
        """,
        """
        #[allow(unused)]
        mod tests {}
        """,
    ),
    Case("unsafe-block", "let value = unsafe { *ptr }; // <-", "let value = *reference;"),
    Case(
        "unsafe-fn",
        """
        unsafe fn read_raw(ptr: *const u8) -> u8 { // <-
            *ptr
        }
        """,
        """
        fn read(value: &u8) -> u8 {
            *value
        }
        """,
    ),
    Case(
        "extern-block",
        """
        extern "C" { // <-
            fn abs(x: i32) -> i32;
        }
        """,
        """
        mod c {
            pub fn abs(x: i32) -> i32 {
                x.abs()
            }
        }
        """,
    ),
    Case(
        "async-fn",
        """
        async fn fetch(url: &str) -> String { // <-
            get(url).await
        }
        """,
        """
        fn fetch(url: &str) -> String {
            get(url)
        }
        """,
    ),
    Case("await", "let body = response.text().await; // <-", "let body = response.text();"),
    Case(
        "async-block",
        "let task = async move { work().await }; // <-",
        "let task = move || work();",
    ),
    Case(
        "const-fn",
        """
        const fn square(x: u32) -> u32 { // <-
            x * x
        }
        """,
        """
        fn square(x: u32) -> u32 {
            x * x
        }
        """,
    ),
    # Items, modules and control flow
    Case(
        "tuple-struct",
        "struct Meters(f64); // <-",
        """
        struct Meters {
            value: f64,
        }
        """,
    ),
    Case(
        "static-item",
        "static COUNTER: AtomicUsize = AtomicUsize::new(0); // <-",
        "const LIMIT: usize = 10;",
    ),
    Case(
        "inline-module",
        """
        mod geometry { // <-
            pub fn area() {}
        }
        """,
        "mod geometry;",
    ),
    Case("restricted-visibility", "pub(crate) fn helper() {} // <-", "pub fn helper() {}"),
    Case(
        "type-cast",
        "let ratio = count as f64 / total as f64; // <-",
        "let ratio = f64::from(count) / f64::from(total);",
    ),
    Case(
        "labeled-loop",
        """
        'outer: for row in grid { // <-
            for cell in row {
                if cell {
                    break 'outer;
                }
            }
        }
        """,
        """
        for row in grid {
            for cell in row {
                if cell {
                    break;
                }
            }
        }
        """,
    ),
    Case(
        "break-with-value",
        """
        let found = loop {
            if let Some(x) = next() {
                break x; // <-
            }
        };
        """,
        # Breaking out of a labeled loop carries a label, not a value.
        """
        'search: loop {
            if done() {
                break 'search;
            }
        }
        """,
    ),
]

JAVA = [
    # Generics
    Case(
        "generic-class",
        """
        class Box<T> { // <-
            T value;
        }
        """,
        """
        class Box {
            Object value;
        }
        """,
    ),
    Case(
        "generic-method",
        """
        class Lists {
            static <T> T first(List<T> items) { // <-
                return items.get(0);
            }
        }
        """,
        """
        class Lists {
            static Object first(List<Object> items) {
                return items.get(0);
            }
        }
        """,
    ),
    Case(
        "bounded-type-parameter",
        "class Sorter<T extends Comparable<T>> {} // <-",
        "class Sorter<T> {}",
    ),
    Case(
        "bounded-wildcard",
        """
        class Stats {
            double sum(List<? extends Number> values) { // <-
                return 0;
            }
        }
        """,
        """
        class Stats {
            double sum(List<?> values) {
                return 0;
            }
        }
        """,
    ),
    Case(
        "diamond-operator",
        "Map<String, Integer> counts = new HashMap<>(); // <-",
        "Map<String, Integer> counts = new HashMap<String, Integer>();",
    ),
    Case(
        "explicit-type-arguments",
        "List<String> empty = Collections.<String>emptyList(); // <-",
        "List<String> empty = Collections.emptyList();",
    ),
    # Functional programming
    Case(
        "lambda",
        'Runnable task = () -> System.out.println("hi"); // <-',
        "Runnable task = new PrintTask();",
    ),
    Case(
        "method-reference",
        "names.forEach(System.out::println); // <-",
        "names.forEach(name -> System.out.println(name));",
    ),
    Case(
        "stream-pipeline",
        "List<String> upper = names.stream().map(String::toUpperCase).toList(); // <-",
        "List<String> upper = new ArrayList<>(names);",
    ),
    Case(
        "functional-interface-type",
        "Function<String, Integer> length = String::length; // <-",
        "Comparator<String> order = Comparator.naturalOrder();",
    ),
    Case(
        "optional",
        "Optional<User> user = repository.findById(id); // <-",
        "User user = repository.findById(id);",
    ),
    Case(
        "completable-future",
        "CompletableFuture.supplyAsync(() -> load(id)).thenAccept(this::show); // <-",
        "executor.submit(() -> load(id));",
    ),
    # Exceptions
    Case(
        "try-with-resources",
        """
        try (var reader = Files.newBufferedReader(path)) { // <-
            return reader.readLine();
        }
        """,
        """
        var reader = Files.newBufferedReader(path);
        try {
            return reader.readLine();
        } finally {
            reader.close();
        }
        """,
    ),
    Case(
        "multi-catch",
        """
        try {
            run();
        } catch (IOException | SQLException e) { // <-
            log(e);
        }
        """,
        """
        try {
            run();
        } catch (IOException e) {
            log(e);
        }
        """,
    ),
    Case(
        "try-finally",
        """
        try {
            lock.lock();
        } finally { // <-
            lock.unlock();
        }
        """,
        """
        try {
            lock.lock();
        } catch (Exception e) {
            lock.unlock();
        }
        """,
    ),
    Case(
        "throws-clause",
        """
        class Loader {
            String load(Path p) throws IOException { // <-
                return Files.readString(p);
            }
        }
        """,
        """
        class Loader {
            String load(Path p) {
                return "";
            }
        }
        """,
    ),
    Case(
        "custom-exception",
        "class NotFoundException extends RuntimeException {} // <-",
        "class NotFoundHandler extends Handler {}",
    ),
    # Annotations
    Case(
        "annotation",
        """
        class Cat {
            @Override // <-
            public String toString() {
                return "cat";
            }
        }
        """,
        """
        class Cat {
            public String toString() {
                return "cat";
            }
        }
        """,
    ),
    Case(
        "annotation-definition",
        """
        @interface Audited { // <-
            String value() default "";
        }
        """,
        """
        interface Audited {
            String value();
        }
        """,
    ),
    # Types
    Case(
        "record",
        "record Point(int x, int y) {} // <-",
        """
        final class Point {
            int x, y;
        }
        """,
    ),
    Case(
        "compact-constructor",
        """
        record Range(int lo, int hi) {
            Range { // <-
                if (lo > hi) throw new IllegalArgumentException();
            }
        }
        """,
        """
        record Range(int lo, int hi) {
            Range(int lo, int hi) {
                this.lo = lo;
                this.hi = hi;
            }
        }
        """,
    ),
    Case(
        "enum",
        "enum Color { RED, GREEN } // <-",
        """
        class Color {
            static final int RED = 0;
        }
        """,
    ),
    Case(
        "enum-with-members",
        """
        enum Planet { // <-
            EARTH(5.97e24);
            private final double mass;
            Planet(double mass) {
                this.mass = mass;
            }
        }
        """,
        """
        enum Planet {
            EARTH,
            MARS;
        }
        """,
    ),
    Case(
        "enum-constant-body",
        """
        enum Op {
            PLUS { // <-
                int apply(int a, int b) {
                    return a + b;
                }
            };
            abstract int apply(int a, int b);
        }
        """,
        """
        enum Op {
            PLUS,
            MINUS;
        }
        """,
    ),
    Case(
        "sealed-type",
        "sealed interface Shape permits Circle, Square {} // <-",
        "interface Shape {}",
    ),
    Case(
        "abstract-class",
        """
        abstract class Shape { // <-
            abstract double area();
        }
        """,
        """
        class Shape {
            double area() {
                return 0;
            }
        }
        """,
    ),
    Case(
        "default-method",
        """
        interface Greeter {
            default String greet() { // <-
                return "hi";
            }
        }
        """,
        """
        interface Greeter {
            String greet();
        }
        """,
    ),
    Case(
        "anonymous-class",
        """
        Comparator<String> byLength = new Comparator<>() { // <-
            public int compare(String a, String b) {
                return a.length() - b.length();
            }
        };
        """,
        "Comparator<String> byLength = new LengthComparator();",
    ),
    Case(
        "inner-class",
        """
        class Outer {
            class Inner {} // <-
        }
        """,
        """
        class Outer {
            private static class Nested {}
        }
        """,
    ),
    Case(
        "static-nested-class",
        """
        class Outer {
            static class Nested {} // <-
        }
        """,
        """
        class Outer {
            private class Inner {}
        }
        """,
    ),
    Case(
        "static-initializer",
        """
        class Config {
            static { // <-
                load();
            }
        }
        """,
        """
        class Config {
            static void load() {}
        }
        """,
    ),
    Case(
        "instance-initializer",
        """
        class Config {
            { // <-
                load();
            }
        }
        """,
        """
        class Config {
            Config() {
                load();
            }
        }
        """,
    ),
    Case(
        "constructor-chaining",
        """
        class Point {
            Point() {
                this(0, 0); // <-
            }
        }
        """,
        """
        class Point extends Base {
            Point() {
                super(0, 0);
            }
        }
        """,
    ),
    Case(
        "varargs",
        """
        class Log {
            void info(String... parts) {} // <-
        }
        """,
        """
        class Log {
            void info(String[] parts) {}
        }
        """,
    ),
    Case(
        "var",
        "var names = new ArrayList<String>(); // <-",
        "List<String> names = new ArrayList<String>();",
    ),
    # Control flow
    Case(
        "arrow-switch",
        """
        switch (day) { // <-
            case SAT, SUN -> rest();
            default -> work();
        }
        """,
        """
        switch (day) {
            case SAT:
                rest();
                break;
            default:
                work();
        }
        """,
    ),
    Case(
        "switch-expression",
        """
        int days = switch (month) { // <-
            case 2 -> 28;
            default -> 31;
        };
        """,
        """
        switch (month) {
            case 2 -> print(28);
            default -> print(31);
        }
        """,
    ),
    Case(
        "yield",
        """
        int days = switch (month) {
            case 2 -> {
                yield leap ? 29 : 28; // <-
            }
            default -> 31;
        };
        """,
        """
        int days = switch (month) {
            case 2 -> leap ? 29 : 28;
            default -> 31;
        };
        """,
    ),
    Case(
        "switch-fallthrough",
        """
        switch (level) {
            case 1: // <-
                trace();
            case 2:
                log();
                break;
        }
        """,
        # Grouped labels, and groups that end with break (also inside a block) or throw.
        """
        switch (level) {
            case 1:
            case 2:
                log();
                break;
            case 3: {
                warn();
                break;
            }
            default:
                throw new IllegalStateException();
        }
        """,
    ),
    Case(
        "pattern-instanceof",
        """
        if (shape instanceof Circle c) { // <-
            draw(c);
        }
        """,
        """
        if (shape instanceof Circle) {
            draw((Circle) shape);
        }
        """,
    ),
    Case(
        "record-pattern",
        """
        if (obj instanceof Point(int x, int y)) { // <-
            plot(x, y);
        }
        """,
        """
        if (obj instanceof Point p) {
            plot(p.x(), p.y());
        }
        """,
    ),
    Case(
        "switch-type-pattern",
        """
        String label = switch (shape) {
            case Circle c -> "circle"; // <-
            default -> "other";
        };
        """,
        """
        String label = switch (kind) {
            case CIRCLE -> "circle";
            default -> "other";
        };
        """,
    ),
    Case(
        "switch-guard",
        """
        String size = switch (shape) {
            case Circle c when c.r() > 10 -> "big"; // <-
            default -> "small";
        };
        """,
        """
        String size = switch (shape) {
            case Circle c -> "round";
            default -> "small";
        };
        """,
    ),
    Case(
        "enhanced-for",
        """
        for (String name : names) { // <-
            greet(name);
        }
        """,
        """
        for (int i = 0; i < names.size(); i++) {
            greet(names.get(i));
        }
        """,
    ),
    Case(
        "labeled-statement",
        """
        outer: for (int[] row : grid) { // <-
            for (int cell : row) {
                if (cell == 0) break outer;
            }
        }
        """,
        """
        for (int[] row : grid) {
            for (int cell : row) {
                if (cell == 0) break;
            }
        }
        """,
    ),
    Case(
        "labeled-break-continue",
        """
        outer: for (int[] row : grid) {
            for (int cell : row) {
                if (cell == 0) continue outer; // <-
            }
        }
        """,
        """
        for (int[] row : grid) {
            for (int cell : row) {
                if (cell == 0) continue;
            }
        }
        """,
    ),
    Case(
        "ternary",
        'String label = done ? "done" : "todo"; // <-',
        """
        String label = "todo";
        if (done) label = "done";
        """,
    ),
    Case(
        "do-while",
        """
        do { // <-
            line = reader.readLine();
        } while (line != null);
        """,
        """
        while (line != null) {
            line = reader.readLine();
        }
        """,
    ),
    Case(
        "assert",
        'assert count >= 0 : "negative count"; // <-',
        'if (count < 0) throw new IllegalStateException("negative count");',
    ),
    Case(
        "unsigned-right-shift",
        "int middle = (low + high) >>> 1; // <-",
        "int middle = (low + high) >> 1;",
    ),
    # Concurrency and imports
    Case(
        "synchronized",
        """
        synchronized (lock) { // <-
            count++;
        }
        """,
        """
        lock.lock();
        count++;
        lock.unlock();
        """,
    ),
    Case(
        "volatile",
        """
        class Worker {
            private volatile boolean running; // <-
        }
        """,
        """
        class Worker {
            private boolean running;
        }
        """,
    ),
    Case(
        "static-import",
        "import static java.lang.Math.max; // <-",
        "import java.lang.Math;",
    ),
    Case(
        "text-block",
        '''
        String json = /* <- */ """
            {"id": 1}
            """;
        ''',
        'String json = "{\\"id\\": 1}";',
    ),
]

CASES_BY_LANGUAGE = {"go": GO, "rust": RUST, "java": JAVA}
CASES = [
    pytest.param(language, case, id=f"{language}/{case.construct}")
    for language, cases in CASES_BY_LANGUAGE.items()
    for case in cases
]


def source_of(snippet: str) -> str:
    # Go ends each top-level statement with a newline: a file without one has a syntax error.
    return textwrap.dedent(snippet).strip("\n") + "\n"


def parse(language: str, source: str):
    return language_named(language).parser().parse(source.encode("utf-8")).root_node


def hits_of(language: str, construct: str, source: str) -> list[ConstructHit]:
    root = parse(language, source)
    return [hit for hit in catalogue(language).find(root) if hit.construct.id == construct]


def marked_line(source: str) -> int:
    lines = [
        number
        for number, line in enumerate(source.splitlines())
        if any(marker in line for marker in MARKERS)
    ]
    assert len(lines) == 1, f"a case marks exactly one line with one of {MARKERS}"
    return lines[0]


@pytest.mark.parametrize(("language", "case"), CASES)
def test_construct_is_found_where_it_starts(language: str, case: Case) -> None:
    source = source_of(case.snippet)
    assert not parse(language, source).has_error, f"the snippet is valid {language}"
    hits = hits_of(language, case.construct, source)
    assert hits, f"{case.construct} not found in:\n{source}"
    assert marked_line(source) in {hit.start_point[0] for hit in hits}


@pytest.mark.parametrize(("language", "case"), CASES)
def test_near_miss_is_not_found(language: str, case: Case) -> None:
    source = source_of(case.near_miss)
    assert not any(marker in source for marker in MARKERS)
    assert not parse(language, source).has_error, f"a near miss is valid {language}"
    assert hits_of(language, case.construct, source) == [], f"{case.construct} found in:\n{source}"


@pytest.mark.parametrize("language", sorted(CASES_BY_LANGUAGE))
def test_every_construct_has_exactly_one_case(language: str) -> None:
    tested = [case.construct for case in CASES_BY_LANGUAGE[language]]
    assert_one_case_per_construct(language, tested)


@pytest.mark.parametrize("language", sorted(CASES_BY_LANGUAGE))
def test_the_catalogue_loads_with_its_metadata(language: str) -> None:
    assert_metadata(language, at_least=20)


@pytest.mark.parametrize(
    ("language", "source"),
    [
        ("go", 'x := make(chan int)\npanic("x")\n'),
        ("rust", "let r = Rc::new(1);\nlet b = Box::new(2);\n"),
        ("java", "var x = list.stream().map(f).toList();\n"),
    ],
)
def test_helper_captures_are_not_constructs(language: str, source: str) -> None:
    hits = catalogue(language).find(parse(language, source))
    assert hits
    assert not [hit for hit in hits if hit.construct.id.startswith("_")]


def test_text_predicates_are_honoured() -> None:
    # #eq? / #any-of? / #match? / #not-eq? are applied by the bindings in
    # QueryCursor.captures: without them every call would be a panic and every lifetime static.
    go = 'panic("x")\nprint("x")\n'
    found = {
        (hit.construct.id, hit.start_point[0]) for hit in catalogue("go").find(parse("go", go))
    }
    assert ("panic", 0) in found
    assert ("panic", 1) not in found
    rust = "fn f<'a>(x: &'a str) {}\nconst S: &'static str = \"\";\n"
    found = {
        (hit.construct.id, hit.start_point[0])
        for hit in catalogue("rust").find(parse("rust", rust))
    }
    assert ("lifetime", 0) in found
    assert ("lifetime", 1) not in found
    assert ("static-lifetime", 1) in found
