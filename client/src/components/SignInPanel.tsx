import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useDashboard, useServices } from '../store/dashboard.context';

/** Where a dispatcher pastes the access token; it is kept for this browser tab only (sessionStorage). */
export function SignInPanel() {
  const { store } = useServices();
  const open = useDashboard((state) => state.signInOpen);
  const problem = useDashboard((state) => state.authProblem);
  const field = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState(false);

  useEffect(() => {
    if (open) field.current?.focus();
  }, [open]);

  if (!open) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (store.signIn(text)) {
      setText('');
      setInvalid(false);
    } else {
      setInvalid(true);
    }
  };
  return (
    <div className="sign-in-backdrop">
      <form
        className="sign-in"
        role="dialog"
        aria-modal="true"
        aria-labelledby="sign-in-title"
        onSubmit={submit}
        onKeyDown={(event) => {
          if (event.key === 'Escape') store.closeSignIn();
        }}
      >
        <h2 id="sign-in-title">Sign in</h2>
        {problem ? (
          <p className="sign-in-reason" data-reason={problem.kind}>
            {problem.kind === 'unauthenticated' ? 'The server asks for a valid token: ' : 'Not permitted: '}
            {problem.reason}
          </p>
        ) : null}
        <label htmlFor="token-field">Access token (JWT)</label>
        <textarea
          id="token-field"
          ref={field}
          rows={4}
          value={text}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={invalid}
          onChange={(event) => setText(event.target.value)}
        />
        {invalid ? <p className="field-error">Paste a token first.</p> : null}
        <p className="muted">Kept in this browser tab only. A link ending in #token=… signs in too.</p>
        <div className="form-actions">
          <button type="submit" className="primary">
            Sign in
          </button>
          <button type="button" onClick={() => store.closeSignIn()}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
