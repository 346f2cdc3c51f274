"""The JavaScript, TypeScript and TSX construct catalogues, one case per construct: this file is
their documentation.

Each case is a snippet that contains the construct, with `// <-` at the end of the line where
the construct starts, and a near miss: the closest code that does not contain it. TypeScript
includes the JavaScript catalogue and TSX includes TypeScript's, so the JavaScript cases run
against all three grammars and the TypeScript cases against TypeScript and TSX.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import pytest

from mindgap.knowledge.catalogue import ConstructHit, catalogue
from mindgap.syntax.languages import language_named
from tests.unit.knowledge.catalogue_checks import assert_metadata, assert_one_case_per_construct

MARKER = "// <-"


@dataclass(frozen=True)
class Case:
    construct: str
    snippet: str
    near_miss: str


JAVASCRIPT = [
    # Functions
    Case(
        "arrow-function",
        "const double = (x) => x * 2; // <-",
        "const double = function (x) { return x * 2; };",
    ),
    Case(
        "default-parameter",
        """
        function greet(name = "you") { // <-
          return `hi ${name}`;
        }
        """,
        """
        function greet(name) {
          return `hi ${name}`;
        }
        """,
    ),
    Case(
        "rest-parameter",
        """
        function sum(...numbers) { // <-
          return numbers.length;
        }
        """,
        "sum(...numbers);",
    ),
    Case(
        "destructured-parameter",
        """
        function area({ width, height }) { // <-
          return width * height;
        }
        """,
        """
        function area(size) {
          const { width, height } = size;
          return width * height;
        }
        """,
    ),
    Case(
        "closure",
        """
        function counter() { // <-
          let count = 0;
          return () => ++count;
        }
        """,
        """
        function counter() {
          let count = 0;
          return count + 1;
        }
        """,
    ),
    Case(
        "iife",
        """
        (function () { // <-
          setup();
        })();
        """,
        """
        function setup() {}
        setup();
        """,
    ),
    Case(
        "arguments-object",
        """
        function count() {
          return arguments.length; // <-
        }
        """,
        """
        function count(...args) {
          return args.length;
        }
        """,
    ),
    Case(
        "explicit-this-binding",
        "const onClick = this.handleClick.bind(this); // <-",
        "const onClick = () => this.handleClick();",
    ),
    # Asynchronous code
    Case(
        "async-function",
        """
        async function load() { // <-
          return 1;
        }
        """,
        """
        function load() {
          return 1;
        }
        """,
    ),
    Case(
        "await",
        """
        async function load(url) {
          const response = await fetch(url); // <-
          return response;
        }
        """,
        """
        async function load(url) {
          const response = fetch(url);
          return response;
        }
        """,
    ),
    Case(
        "promise-then",
        "fetch(url).then((response) => response.json()); // <-",
        "items.map((response) => response.json());",
    ),
    Case(
        "promise-constructor",
        "const wait = new Promise((resolve) => setTimeout(resolve, 10)); // <-",
        "const wait = new Map();",
    ),
    Case(
        "promise-combinator",
        "const [user, posts] = await Promise.all([getUser(), getPosts()]); // <-",
        "const user = await Promise.resolve(getUser());",
    ),
    Case(
        "for-await",
        """
        async function read(stream) {
          for await (const chunk of stream) { // <-
            use(chunk);
          }
        }
        """,
        """
        async function read(stream) {
          for (const chunk of stream) {
            use(chunk);
          }
        }
        """,
    ),
    # Generators
    Case(
        "generator-function",
        """
        function* ids() { // <-
          yield 1;
        }
        """,
        """
        function ids() {
          return [1];
        }
        """,
    ),
    Case(
        "yield",
        """
        function* ids() {
          yield 1; // <-
        }
        """,
        """
        function* ids() {
          return 1;
        }
        """,
    ),
    Case(
        "yield-delegation",
        """
        function* all() {
          yield* others(); // <-
        }
        """,
        """
        function* all() {
          yield others();
        }
        """,
    ),
    Case(
        "async-generator",
        """
        async function* pages() { // <-
          yield await next();
        }
        """,
        """
        async function pages() {
          return await next();
        }
        """,
    ),
    # Destructuring, spread and rest
    Case(
        "object-destructuring",
        "const { name, age } = person; // <-",
        "const name = person.name;",
    ),
    Case(
        "array-destructuring",
        "const [first, second] = pair; // <-",
        "const first = pair[0];",
    ),
    Case(
        "destructuring-default",
        "const { retries = 3 } = options; // <-",
        "const { retries } = options;",
    ),
    Case(
        "destructuring-rest",
        "const { id, ...fields } = record; // <-",
        "const copy = { ...record };",
    ),
    Case(
        "array-spread",
        "const all = [...first, ...second]; // <-",
        "const all = first.concat(second);",
    ),
    Case(
        "object-spread",
        "const merged = { ...defaults, ...options }; // <-",
        "const merged = Object.assign({}, defaults, options);",
    ),
    Case(
        "call-spread",
        "Math.max(...values); // <-",
        "Math.max(values[0], values[1]);",
    ),
    # Operators
    Case(
        "optional-chaining",
        "const city = user?.address?.city; // <-",
        "const city = user && user.address && user.address.city;",
    ),
    Case(
        "nullish-coalescing",
        "const port = config.port ?? 8080; // <-",
        "const port = config.port || 8080;",
    ),
    Case(
        "logical-assignment",
        "options.timeout ??= 1000; // <-",
        "options.timeout += 1000;",
    ),
    Case(
        "exponent-operator",
        "const area = side ** 2; // <-",
        "const area = Math.pow(side, 2);",
    ),
    Case(
        "ternary",
        'const label = done ? "done" : "todo"; // <-',
        """
        let label = "todo";
        if (done) label = "done";
        """,
    ),
    Case(
        "comma-operator",
        "for (let i = 0, j = 9; i < j; i++, j--) {} // <-",
        "for (let i = 0; i < 9; i++) {}",
    ),
    Case(
        "typeof-operator",
        'if (typeof value === "string") {} // <-',
        "if (value instanceof String) {}",
    ),
    Case(
        "instanceof-operator",
        "if (error instanceof TypeError) {} // <-",
        'if (error.name === "TypeError") {}',
    ),
    Case(
        "in-operator",
        'if ("id" in record) {} // <-',
        "if (record.id !== undefined) {}",
    ),
    Case(
        "delete-operator",
        "delete cache[key]; // <-",
        "cache[key] = undefined;",
    ),
    # Strings and literals
    Case(
        "template-literal",
        "const greeting = `Hello, ${name}!`; // <-",
        'const greeting = "Hello, " + name + "!";',
    ),
    Case(
        "tagged-template",
        "const query = sql`SELECT * FROM users WHERE id = ${id}`; // <-",
        "const query = sql(`SELECT * FROM users WHERE id = ${id}`);",
    ),
    Case(
        "regex-literal",
        r"const digits = /\d+/; // <-",
        'const digits = new RegExp("[0-9]+");',
    ),
    Case(
        "regex-flags",
        r"const words = /\w+/g; // <-",
        r"const words = /\w+/;",
    ),
    Case(
        "regex-named-group",
        r"const date = /(?<year>\d{4})-(?<month>\d{2})/.exec(text); // <-",
        r"const date = /(\d{4})-(\d{2})/.exec(text);",
    ),
    Case(
        "bigint-literal",
        "const big = 9007199254740993n; // <-",
        "const big = 9007199254740993;",
    ),
    Case(
        "numeric-separator",
        "const budget = 1_000_000; // <-",
        "const budget = 1000000;",
    ),
    # Objects and metaprogramming
    Case(
        "computed-property-name",
        "const entry = { [key]: value }; // <-",
        "const entry = { key: value };",
    ),
    Case(
        "shorthand-property",
        "const point = { x, y }; // <-",
        "const point = { x: left, y: top };",
    ),
    Case(
        "object-accessor",
        """
        const temperature = {
          get fahrenheit() { // <-
            return this.celsius * 1.8 + 32;
          },
        };
        """,
        """
        const temperature = {
          fahrenheit() {
            return this.celsius * 1.8 + 32;
          },
        };
        """,
    ),
    Case(
        "symbol",
        'const id = Symbol("id"); // <-',
        'const id = String("id");',
    ),
    Case(
        "proxy",
        "const watched = new Proxy(target, handler); // <-",
        "const watched = new Wrapper(target, handler);",
    ),
    Case(
        "reflect",
        "const keys = Reflect.ownKeys(target); // <-",
        "const keys = Object.keys(target);",
    ),
    Case(
        "weak-collection",
        "const metadata = new WeakMap(); // <-",
        "const metadata = new Map();",
    ),
    Case(
        "new-target",
        """
        function Shape() {
          if (!new.target) throw new Error("use new"); // <-
        }
        """,
        """
        function Shape() {
          if (!(this instanceof Shape)) throw new Error("use new");
        }
        """,
    ),
    # Classes
    Case(
        "class-declaration",
        """
        class Point { // <-
          constructor(x) {
            this.x = x;
          }
        }
        """,
        """
        function Point(x) {
          this.x = x;
        }
        """,
    ),
    Case(
        "class-expression",
        "const Point = class { // <-\n  move() {}\n};",
        "class Point {\n  move() {}\n}",
    ),
    Case(
        "class-extends",
        "class Admin extends User {} // <-",
        "class Admin {}",
    ),
    Case(
        "super-constructor-call",
        """
        class Admin extends User {
          constructor(name) {
            super(name); // <-
          }
        }
        """,
        """
        class Admin extends User {
          constructor(name) {
            this.name = name;
          }
        }
        """,
    ),
    Case(
        "super-method-call",
        """
        class Admin extends User {
          greet() {
            return super.greet() + "!"; // <-
          }
        }
        """,
        """
        class Admin extends User {
          greet() {
            return this.greet() + "!";
          }
        }
        """,
    ),
    Case(
        "static-member",
        """
        class Config {
          static defaults = {}; // <-
        }
        """,
        """
        class Config {
          defaults = {};
        }
        """,
    ),
    Case(
        "private-member",
        """
        class Account {
          #balance = 0; // <-
        }
        """,
        """
        class Account {
          _balance = 0;
        }
        """,
    ),
    Case(
        "class-accessor",
        """
        class Temperature {
          get fahrenheit() { // <-
            return 1;
          }
        }
        """,
        """
        class Temperature {
          get() {
            return 1;
          }
        }
        """,
    ),
    Case(
        "static-block",
        """
        class Registry {
          static { // <-
            Registry.items = [];
          }
        }
        """,
        """
        class Registry {
          static items = [];
        }
        """,
    ),
    Case(
        "decorator",
        """
        @sealed // <-
        class Greeter {}
        """,
        """
        class Greeter {}
        sealed(Greeter);
        """,
    ),
    # Control flow
    Case(
        "for-of",
        "for (const item of items) {} // <-",
        "for (const index in items) {}",
    ),
    Case(
        "for-in",
        "for (const key in object) {} // <-",
        "for (const key of Object.keys(object)) {}",
    ),
    Case(
        "labeled-statement",
        """
        outer: for (const row of rows) { // <-
          for (const cell of row) {
            if (!cell) break outer;
          }
        }
        """,
        """
        for (const row of rows) {
          for (const cell of row) {
            if (!cell) break;
          }
        }
        """,
    ),
    Case(
        "switch-fallthrough",
        """
        switch (level) {
          case "debug": // <-
            enableTracing();
          case "info":
            enableLogging();
            break;
        }
        """,
        # Grouped labels, and bodies that end with break (also inside a block) or throw.
        """
        switch (level) {
          case "debug":
          case "info": {
            enableLogging();
            break;
          }
          case "error":
            throw new Error(level);
          default:
            ignore();
        }
        """,
    ),
    Case(
        "do-while",
        """
        do { // <-
          line = read();
        } while (line);
        """,
        """
        while (line) {
          line = read();
        }
        """,
    ),
    Case(
        "var-declaration",
        "var count = 0; // <-",
        "let count = 0;",
    ),
    # Errors
    Case(
        "try-catch",
        """
        try { // <-
          parse(text);
        } catch (error) {
          report(error);
        }
        """,
        """
        try {
          parse(text);
        } finally {
          done();
        }
        """,
    ),
    Case(
        "try-finally",
        """
        try { // <-
          use(handle);
        } finally {
          handle.close();
        }
        """,
        """
        try {
          use(handle);
        } catch (error) {
          handle.close();
        }
        """,
    ),
    Case(
        "optional-catch-binding",
        """
        try {
          JSON.parse(text);
        } catch { // <-
          fallback();
        }
        """,
        """
        try {
          JSON.parse(text);
        } catch (error) {
          fallback();
        }
        """,
    ),
    # Modules
    Case(
        "dynamic-import",
        'const heavy = await import("./heavy.js"); // <-',
        'import heavy from "./heavy.js";',
    ),
    Case(
        "import-meta",
        'const here = new URL(".", import.meta.url); // <-',
        'const here = new URL(".", location.href);',
    ),
    Case(
        "export-default",
        "export default function main() {} // <-",
        "export function main() {}",
    ),
    Case(
        "named-export",
        'export const version = "1.0"; // <-',
        'export default "1.0";',
    ),
    Case(
        "re-export",
        'export { parse } from "./parser.js"; // <-',
        'import { parse } from "./parser.js";',
    ),
    Case(
        "namespace-import",
        'import * as path from "node:path"; // <-',
        'import path from "node:path";',
    ),
    Case(
        "commonjs-require",
        'const fs = require("fs"); // <-',
        'import fs from "fs";',
    ),
    Case(
        "commonjs-exports",
        "module.exports = { parse }; // <-",
        "export { parse };",
    ),
]

TYPESCRIPT = [
    # Declaring types
    Case(
        "interface",
        "interface User { // <-\n  id: number;\n}",
        "type User = {\n  id: number;\n};",
    ),
    Case(
        "interface-extends",
        "interface Admin extends User { // <-\n  role: string;\n}",
        "interface Admin {\n  role: string;\n}",
    ),
    Case(
        "type-alias",
        "type Id = string | number; // <-",
        "interface Id {}",
    ),
    Case(
        "enum",
        "enum Direction { // <-\n  Up,\n  Down,\n}",
        "const Direction = { Up: 0, Down: 1 };",
    ),
    Case(
        "const-enum",
        "const enum Direction { // <-\n  Up,\n  Down,\n}",
        "enum Direction {\n  Up,\n  Down,\n}",
    ),
    Case(
        "namespace",
        "namespace Geometry { // <-\n  export const pi = 3.14;\n}",
        "const Geometry = { pi: 3.14 };",
    ),
    Case(
        "ambient-declaration",
        "declare const VERSION: string; // <-",
        'const VERSION: string = "1";',
    ),
    # Generics
    Case(
        "generic-function",
        """
        function first<T>(items: T[]): T { // <-
          return items[0];
        }
        """,
        """
        function first(items: unknown[]): unknown {
          return items[0];
        }
        """,
    ),
    Case(
        "generic-class",
        """
        class Box<T> { // <-
          constructor(public value: T) {}
        }
        """,
        """
        class Box {
          constructor(public value: unknown) {}
        }
        """,
    ),
    Case(
        "generic-type",
        "type Result<T> = { ok: true; value: T } | { ok: false }; // <-",
        "type Result = { ok: boolean };",
    ),
    Case(
        "generic-constraint",
        """
        function longest<T extends { length: number }>(a: T, b: T): T { // <-
          return a.length >= b.length ? a : b;
        }
        """,
        """
        function longest<T>(a: T, b: T): T {
          return a;
        }
        """,
    ),
    Case(
        "generic-default",
        "interface Page<T = string> { // <-\n  items: T[];\n}",
        "interface Page<T> {\n  items: T[];\n}",
    ),
    Case(
        "explicit-type-arguments",
        "const ids = new Set<number>(); // <-",
        "const ids: Set<number> = new Set();",
    ),
    Case(
        "utility-type",
        "type Draft = Partial<Post>; // <-",
        "type Draft = Array<Post>;",
    ),
    # Type operators
    Case(
        "union-type",
        "let id: string | number; // <-",
        "let id: string;",
    ),
    Case(
        "literal-union",
        'type Order = "asc" | "desc"; // <-',
        "type Order = string | undefined;",
    ),
    Case(
        "intersection-type",
        "type Named = User & { name: string }; // <-",
        "type Named = User | { name: string };",
    ),
    Case(
        "keyof-type",
        "type Key = keyof User; // <-",
        'type Key = User["id"];',
    ),
    Case(
        "typeof-type",
        "type Config = typeof defaults; // <-",
        "const kind = typeof defaults;",
    ),
    Case(
        "indexed-access-type",
        'type Id = User["id"]; // <-',
        "type Id = User;",
    ),
    Case(
        "conditional-type",
        "type IsText<T> = T extends string ? true : false; // <-",
        "type IsText<T> = T | string;",
    ),
    Case(
        "infer-type",
        "type Unwrap<T> = T extends Promise<infer V> ? V : T; // <-",
        "type Unwrap<T> = T extends Promise<unknown> ? unknown : T;",
    ),
    Case(
        "mapped-type",
        "type Flags<T> = { [K in keyof T]: boolean }; // <-",
        "type Flags = { [key: string]: boolean };",
    ),
    Case(
        "template-literal-type",
        "type EventName = `on${string}`; // <-",
        "type EventName = string;",
    ),
    Case(
        "tuple-type",
        "let pair: [string, number]; // <-",
        "let pair: (string | number)[];",
    ),
    Case(
        "function-type",
        "let onDone: (error: Error | null) => void; // <-",
        "function onDone(error: Error | null): void {}",
    ),
    Case(
        "index-signature",
        "interface Scores {\n  [player: string]: number; // <-\n}",
        "interface Scores {\n  player: number;\n}",
    ),
    # Classes
    Case(
        "abstract-class",
        "abstract class Shape { // <-\n  describe() {}\n}",
        "class Shape {\n  describe() {}\n}",
    ),
    Case(
        "abstract-member",
        "abstract class Shape {\n  abstract area(): number; // <-\n}",
        "abstract class Shape {\n  area(): number {\n    return 0;\n  }\n}",
    ),
    Case(
        "access-modifier",
        "class Account {\n  private balance = 0; // <-\n}",
        "class Account {\n  #balance = 0;\n}",
    ),
    Case(
        "parameter-property",
        "class Point {\n  constructor(private x: number) {} // <-\n}",
        "class Point {\n  constructor(x: number) {}\n}",
    ),
    Case(
        "readonly",
        "interface Point {\n  readonly x: number; // <-\n}",
        "interface Point {\n  x: number;\n}",
    ),
    Case(
        "implements-clause",
        "class Dog implements Animal {} // <-",
        "class Dog extends Animal {}",
    ),
    Case(
        "override-modifier",
        "class Dog extends Animal {\n  override speak() {} // <-\n}",
        "class Dog extends Animal {\n  speak() {}\n}",
    ),
    Case(
        "optional-member",
        "interface Options {\n  timeout?: number; // <-\n}",
        "interface Options {\n  timeout: number | undefined;\n}",
    ),
    # Narrowing and assertions
    Case(
        "non-null-assertion",
        'const app = document.getElementById("app")!; // <-',
        'const missing = !document.getElementById("app");',
    ),
    Case(
        "type-assertion",
        "const input = element as HTMLInputElement; // <-",
        'const sizes = ["s", "m"] as const;',
    ),
    Case(
        "const-assertion",
        'const sizes = ["s", "m"] as const; // <-',
        'const sizes = ["s", "m"] as string[];',
    ),
    Case(
        "satisfies",
        "const config = { port: 80 } satisfies Config; // <-",
        "const config: Config = { port: 80 };",
    ),
    Case(
        "type-predicate",
        """
        function isText(x: unknown): x is string { // <-
          return typeof x === "string";
        }
        """,
        """
        function isText(x: unknown): boolean {
          return typeof x === "string";
        }
        """,
    ),
    Case(
        "assertion-function",
        """
        function assert(condition: unknown): asserts condition { // <-
          if (!condition) throw new Error();
        }
        """,
        """
        function assert(condition: unknown): void {
          if (!condition) throw new Error();
        }
        """,
    ),
    # Functions and modules
    Case(
        "function-overload",
        """
        function parse(x: string): number; // <-
        function parse(x: number): number;
        function parse(x: any) {
          return Number(x);
        }
        """,
        # A declared function signature on its own is not an overload.
        """
        declare function parse(x: string): number;
        function format(x: number): string {
          return String(x);
        }
        """,
    ),
    Case(
        "type-only-import",
        'import type { User } from "./user"; // <-',
        'import { User } from "./user";',
    ),
]

# The TypeScript shapes of JavaScript constructs (typed parameters, typed fields, `?.()`): the
# TypeScript catalogue adds patterns for them under the JavaScript constructs' names.
TYPESCRIPT_SHAPES = [
    Case(
        "default-parameter",
        "function retry(times: number = 3) {} // <-",
        "function retry(times: number) {}",
    ),
    Case(
        "rest-parameter",
        "function log(...parts: string[]) {} // <-",
        "function log(parts: string[]) {}",
    ),
    Case(
        "destructured-parameter",
        "function show({ id }: User) {} // <-",
        "function show(user: User) {}",
    ),
    Case(
        "optional-chaining",
        "callback?.(); // <-",
        "callback();",
    ),
    Case(
        "static-member",
        "class Counter {\n  static count: number = 0; // <-\n}",
        "class Counter {\n  count: number = 0;\n}",
    ),
    Case(
        "class-extends",
        "class Dog extends Animal implements Pet {} // <-",
        "class Dog implements Pet {}",
    ),
    Case(
        "function-overload",
        """
        class Parser {
          parse(x: string): number; // <-
          parse(x: any) {
            return Number(x);
          }
        }
        """,
        """
        class Parser {
          parse(x: any) {
            return Number(x);
          }
        }
        """,
    ),
]

TSX = [
    Case(
        "jsx-element",
        'const button = <Button label="ok" />; // <-',
        'const button = Button({ label: "ok" });',
    ),
    Case(
        "jsx-fragment",
        "const list = <><Item /><Item /></>; // <-",
        "const list = <div><Item /><Item /></div>;",
    ),
    Case(
        "jsx-spread-attributes",
        "const field = <Input {...props} />; // <-",
        "const field = <Input value={props.value} />;",
    ),
    Case(
        "jsx-conditional-and",
        "const view = <div>{loading && <Spinner />}</div>; // <-",
        "const view = <div>{loading}</div>;",
    ),
    Case(
        "jsx-conditional-ternary",
        "const view = <div>{user ? <Profile /> : <Login />}</div>; // <-",
        'const view = <div>{user ? user.name : "guest"}</div>;',
    ),
    Case(
        "jsx-list-rendering",
        "const list = <ul>{items.map((item) => <li key={item}>{item}</li>)}</ul>; // <-",
        'const list = <ul>{items.join(", ")}</ul>;',
    ),
    Case(
        "jsx-event-handler",
        "const save = <button onClick={() => store()}>Save</button>; // <-",
        "const save = <button onClick={store}>Save</button>;",
    ),
    Case(
        "render-prop",
        "const rows = <List>{(item) => <Row item={item} />}</List>; // <-",
        "const rows = <List>{children}</List>;",
    ),
    Case(
        "react-hook",
        "const [count, setCount] = useState(0); // <-",
        "const tools = useful(0);",
    ),
]

# Which cases apply to which grammar: each language also gets the cases of what it includes.
CASES_BY_LANGUAGE = {
    "javascript": JAVASCRIPT,
    "typescript": JAVASCRIPT + TYPESCRIPT,
    "tsx": JAVASCRIPT + TYPESCRIPT + TSX,
}
SHAPES_BY_LANGUAGE = {"typescript": TYPESCRIPT_SHAPES, "tsx": TYPESCRIPT_SHAPES}


def all_cases(by_language: dict[str, list[Case]]):
    return [
        pytest.param(language, case, id=f"{language}/{case.construct}")
        for language, cases in by_language.items()
        for case in cases
    ]


CASES = all_cases(CASES_BY_LANGUAGE) + all_cases(
    {language: cases for language, cases in SHAPES_BY_LANGUAGE.items()}
)


def source_of(snippet: str) -> str:
    return textwrap.dedent(snippet).strip("\n")


def parse(language: str, source: str):
    return language_named(language).parser().parse(source.encode("utf-8")).root_node


def hits_of(language: str, construct: str, source: str) -> list[ConstructHit]:
    root = parse(language, source)
    return [hit for hit in catalogue(language).find(root) if hit.construct.id == construct]


def marked_line(source: str) -> int:
    lines = [number for number, line in enumerate(source.splitlines()) if MARKER in line]
    assert len(lines) == 1, f"a case marks exactly one line with {MARKER!r}"
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
    assert MARKER not in source
    assert not parse(language, source).has_error, f"a near miss is valid {language}"
    assert hits_of(language, case.construct, source) == [], f"{case.construct} found in:\n{source}"


@pytest.mark.parametrize("language", sorted(CASES_BY_LANGUAGE))
def test_every_construct_has_exactly_one_case(language: str) -> None:
    tested = [case.construct for case in CASES_BY_LANGUAGE[language]]
    assert_one_case_per_construct(language, tested)


@pytest.mark.parametrize("language", sorted(CASES_BY_LANGUAGE))
def test_the_catalogue_loads_with_its_metadata(language: str) -> None:
    assert_metadata(language, at_least=40)


def test_typescript_includes_javascript_and_tsx_includes_typescript() -> None:
    javascript = set(catalogue("javascript").constructs)
    typescript = set(catalogue("typescript").constructs)
    tsx = set(catalogue("tsx").constructs)
    assert javascript < typescript < tsx
    assert {case.construct for case in TSX} == tsx - typescript


def test_helper_captures_are_not_constructs() -> None:
    source = 'const fs = require("fs");\nfetch(u).then(f);\nconst p = new Proxy(t, h);\n'
    for language in CASES_BY_LANGUAGE:
        hits = catalogue(language).find(parse(language, source))
        assert hits
        assert not [hit for hit in hits if hit.construct.id.startswith("_")]


def test_text_predicates_are_honoured() -> None:
    # #eq? / #any-of? / #match? / #not-match? are applied by the bindings in
    # QueryCursor.captures: without them every call would be a require() and every case a
    # fall-through.
    source = source_of(
        """
        const a = require("a");
        const b = load("b");
        switch (x) {
          case 1:
            one();
            break;
          case 2:
            two();
          default:
            other();
        }
        """
    )
    found = {
        (hit.construct.id, hit.start_point[0])
        for hit in catalogue("javascript").find(parse("javascript", source))
    }
    assert ("commonjs-require", 0) in found
    assert ("commonjs-require", 1) not in found
    assert ("switch-fallthrough", 3) not in found
    assert ("switch-fallthrough", 6) in found


def test_each_conditional_in_one_jsx_parent_is_found_at_its_own_position() -> None:
    source = "const v = <div>{a && <A />}{b && <B />}</div>;"
    hits = hits_of("tsx", "jsx-conditional-and", source)
    assert [hit.start_point for hit in hits] == [(0, 15), (0, 27)]
