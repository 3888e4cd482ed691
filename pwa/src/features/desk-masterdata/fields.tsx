import type { ComponentChildren } from 'preact';

/** A labelled input of the master-data forms; `bad` marks the field a refusal names. */
export function Field({
  label,
  value,
  onInput,
  testid,
  bad,
  disabled,
  numeric,
  wide,
  list,
  placeholder,
}: {
  label: string;
  value: string;
  onInput: (v: string) => void;
  testid: string;
  bad?: boolean;
  disabled?: boolean;
  numeric?: boolean;
  wide?: boolean;
  list?: string;
  placeholder?: string;
}) {
  return (
    <label class={wide ? 'field md-wide' : 'field'}>
      {label}
      <input
        class={bad ? 'input md-bad' : 'input'}
        value={value}
        disabled={disabled}
        inputMode={numeric ? 'numeric' : undefined}
        list={list}
        placeholder={placeholder}
        aria-invalid={bad ? 'true' : undefined}
        data-testid={testid}
        onInput={(e) => onInput((e.target as HTMLInputElement).value)}
      />
    </label>
  );
}

export function Choice({
  label,
  value,
  options,
  onChange,
  testid,
  bad,
  text,
}: {
  label: string;
  value: string;
  options: readonly string[];
  onChange: (v: string) => void;
  testid: string;
  bad?: boolean;
  text?: (v: string) => string;
}) {
  return (
    <label class="field">
      {label}
      <select class={bad ? 'input md-bad' : 'input'} value={value} aria-invalid={bad ? 'true' : undefined} data-testid={testid} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        {options.map((o) => (
          <option value={o}>{text ? text(o) : o}</option>
        ))}
      </select>
    </label>
  );
}

export function Check({ label, checked, onChange, testid }: { label: string; checked: boolean; onChange: (v: boolean) => void; testid: string }) {
  return (
    <label class="md-check">
      <input type="checkbox" checked={checked} data-testid={testid} onChange={(e) => onChange((e.target as HTMLInputElement).checked)} />
      {label}
    </label>
  );
}

export function Group({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <fieldset class="md-group">
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}
