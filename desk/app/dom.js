// @ts-check
// A small element builder for the views: text always goes in as text nodes (never parsed as
// HTML), so whatever the API sends cannot become markup.

/** @typedef {Node | string | number | null | undefined | false} Child */

/**
 * h('a', {href: '#/c/1', class: 'person'}, 'Petra Wessling')
 * Props: `class`, attributes with a dash or `role`/`for` as attributes, the rest as properties.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any> | null} [props]
 * @param {...any} children  Child, or (nested) arrays of them
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
        if (v === undefined || v === null || v === false)
            continue;
        if (k === 'class')
            e.className = v;
        else if (k.includes('-') || k === 'role' || k === 'for')
            e.setAttribute(k, v === true ? '' : String(v));
        else
            /** @type {any} */ (e)[k] = v;
    }
    append(e, children);
    return e;
}

/**
 * @param {Element} e
 * @param {any[]} children
 */
function append(e, children) {
    for (const c of children) {
        if (Array.isArray(c))
            append(e, c);
        else if (c !== null && c !== undefined && c !== false)
            e.append(typeof c === 'number' ? String(c) : c);
    }
}
