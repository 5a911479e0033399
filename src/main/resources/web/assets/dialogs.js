// Modal dialogs (native <dialog>: focus stays inside, Escape closes) for notes and for creating silences.
import { h } from './dom.js';
import { post } from './api.js';

function modal(title, content, onClose) {
  const dlg = h('dialog', { class: 'modal', 'aria-labelledby': 'dlg-title' },
    h('h2', { id: 'dlg-title' }, title), content);
  dlg.addEventListener('close', () => { dlg.remove(); if (onClose) onClose(); });
  document.body.appendChild(dlg);
  dlg.showModal();
  return dlg;
}

/**
 * A dialog with one text area. submit(text) runs on confirm; its error is shown in the dialog.
 */
export function textDialog({ title, label, placeholder, confirm, required, hint, submit }) {
  const opener = document.activeElement;
  const area = h('textarea', { id: 'dlg-text', rows: '3', placeholder: placeholder || '', required: Boolean(required), maxlength: '2000' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const ok = h('button', { type: 'submit', class: 'btn primary' }, confirm);
  let dlg;
  const form = h('form', { class: 'form', novalidate: true },
    h('label', { for: 'dlg-text' }, label), area,
    hint ? h('p', { class: 'hint' }, hint) : null,
    error,
    h('div', { class: 'buttons' },
      h('button', { type: 'button', class: 'btn ghost', onclick: () => dlg.close() }, 'Cancel'), ok));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (required && !area.value.trim()) { error.textContent = label + ' is needed.'; area.focus(); return; }
    ok.disabled = true;
    error.textContent = '';
    try {
      await submit(area.value.trim());
      dlg.close();
    } catch (err) {
      error.textContent = err.message;
      ok.disabled = false;
    }
  });
  dlg = modal(title, form, () => { if (opener && opener.isConnected) opener.focus(); });
  area.focus();
  return dlg;
}

const DURATIONS = [['1h', '1 hour'], ['2h', '2 hours'], ['8h', '8 hours'], ['1d', '1 day'], ['7d', '7 days']];

/** The fields of a silence (also used by the Silences page's form). */
export function silenceFields(v, idPrefix) {
  const id = (n) => idPrefix + n;
  const input = (name, label, value, hint) => h('div', { class: 'field' },
    h('label', { for: id(name) }, label),
    h('input', { id: id(name), name, type: 'text', value: value || '', autocomplete: 'off', spellcheck: 'false' }),
    hint ? h('span', { class: 'hint' }, hint) : null);
  return h('div', { class: 'silence-fields' },
    h('fieldset', null, h('legend', null, 'Match alerts with'),
      h('div', { class: 'grid2' },
        input('rule', 'Rule', v.rule, 'e.g. ErrorFrequencyRule'),
        input('source', 'Source', v.source, 'e.g. nginx.service/nginx'),
        input('process', 'Process', v.process, 'in one of its log lines'),
        input('subsystem', 'Subsystem', v.subsystem, 'in one of its log lines'),
        input('message_regex', 'Message regex', v.message_regex, 'Java regular expression'),
        h('div', { class: 'field' }, h('label', { for: id('minimum_severity') }, 'At least'),
          h('select', { id: id('minimum_severity'), name: 'minimum_severity' },
            [['', 'Any severity'], ['info', 'Info'], ['warning', 'Warning'], ['critical', 'Critical']].map(([x, t]) => h('option', { value: x, selected: (v.minimum_severity || '') === x }, t)))))),
    h('div', { class: 'grid2' },
      h('div', { class: 'field' }, h('label', { for: id('duration') }, 'For'),
        h('select', { id: id('duration'), name: 'duration' }, DURATIONS.map(([x, t]) => h('option', { value: x, selected: (v.duration || '2h') === x }, t)))),
      input('comment', 'Comment', v.comment, 'why it is silenced')));
}

/** Reads silenceFields' values as the API's body. */
export function silenceBody(root) {
  const body = {};
  for (const el of root.querySelectorAll('input[name], select[name]')) {
    const val = el.value.trim();
    if (val) body[el.name] = val;
  }
  return body;
}

export function silenceDialog(prefill, onCreated) {
  const opener = document.activeElement;
  const fields = silenceFields(prefill, 'sd-');
  const error = h('p', { class: 'form-error', role: 'alert' });
  const ok = h('button', { type: 'submit', class: 'btn primary' }, 'Create silence');
  let dlg;
  const form = h('form', { class: 'form', novalidate: true },
    h('p', { class: 'hint' }, 'While the silence is active, matching alerts are still stored and shown here, but nobody is notified. Clear the fields that should match anything.'),
    fields, error,
    h('div', { class: 'buttons' }, h('button', { type: 'button', class: 'btn ghost', onclick: () => dlg.close() }, 'Cancel'), ok));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    ok.disabled = true;
    error.textContent = '';
    try {
      const silence = await post('/api/silences', silenceBody(form));
      dlg.close();
      onCreated(silence);
    } catch (err) {
      error.textContent = err.message;
      ok.disabled = false;
    }
  });
  dlg = modal('Silence alerts like this', form, () => { if (opener && opener.isConnected) opener.focus(); });
  const first = form.querySelector('input');
  if (first) first.focus();
  return dlg;
}
