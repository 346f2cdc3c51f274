; The TSX construct catalogue: every TypeScript (and JavaScript) construct, plus JSX.
; Format: see mindgap/knowledge/catalogue.py.
; @include typescript

; @construct jsx-element
; @name JSX element
; @family jsx
; @explains `<Tag prop={value}>children</Tag>` is compiled into a call that creates a UI element; capitalised tags are components, lower-case ones HTML elements.
(jsx_element
  open_tag: (jsx_opening_element
    name: (_))) @jsx-element
(jsx_self_closing_element) @jsx-element

; @construct jsx-fragment
; @name JSX fragment (<>...</>)
; @family jsx
; @explains `<>...</>` groups several elements into one without adding a wrapper element to the output.
(jsx_element
  open_tag: (jsx_opening_element
    !name)) @jsx-fragment

; @construct jsx-spread-attributes
; @name JSX spread attributes
; @family jsx
; @explains `<Comp {...props} />` passes every property of an object as a separate prop; props written after it override the spread ones.
(jsx_expression
  (spread_element)) @jsx-spread-attributes

; @construct jsx-conditional-and
; @name conditional rendering with &&
; @family jsx
; @explains `{cond && <Elem />}` renders the element only when `cond` is truthy; a falsy number like 0 is itself rendered.
(jsx_expression
  (binary_expression
    operator: "&&"
    right: [(jsx_element) (jsx_self_closing_element) (parenthesized_expression)])) @jsx-conditional-and

; @construct jsx-conditional-ternary
; @name conditional rendering with ? :
; @family jsx
; @explains `{cond ? <A /> : <B />}` renders one of two elements depending on a condition.
(jsx_expression
  (ternary_expression
    consequence: [(jsx_element) (jsx_self_closing_element) (parenthesized_expression)])) @jsx-conditional-ternary
(jsx_expression
  (ternary_expression
    alternative: [(jsx_element) (jsx_self_closing_element) (parenthesized_expression)])) @jsx-conditional-ternary

; @construct jsx-list-rendering
; @name rendering a list with .map
; @family jsx
; @explains `{items.map(item => <li key={item.id}>...</li>)}` turns each item of an array into an element; `key` lets React track items between renders.
(jsx_expression
  (call_expression
    function: (member_expression
      property: (property_identifier) @_map)
    (#eq? @_map "map"))) @jsx-list-rendering

; @construct jsx-event-handler
; @name inline JSX event handler
; @family jsx
; @explains `onClick={() => ...}` passes a function that the element calls when the event happens; it is a new function on every render.
(jsx_attribute
  (property_identifier) @_event
  (jsx_expression
    [(arrow_function) (function_expression)])
  (#match? @_event "^on[A-Z]")) @jsx-event-handler

; @construct render-prop
; @name function as a child (render prop)
; @family jsx
; @explains A function passed as a child or prop, `<List>{item => <Row item={item} />}</List>`, lets the component decide when and with what to render it.
(jsx_element
  (jsx_expression
    [(arrow_function) (function_expression)]) @render-prop)

; @construct react-hook
; @name React hook call
; @family jsx
; @explains A call to a `use...` function such as `useState` or `useEffect` attaches state or effects to the component; hooks must run in the same order on every render.
(call_expression
  function: (identifier) @_hook
  (#match? @_hook "^use[A-Z]")) @react-hook
