import { Component, type ReactNode } from 'react';

const RELOAD_AFTER_MS = 15_000;

/**
 * A wall display nobody touches must not stay blank after an unexpected error: say so, and reload the page
 * (which reads everything again) after a few seconds.
 */
export class DisplayErrorBoundary extends Component<{ children: ReactNode }, { message: string | null }> {
  override state = { message: null as string | null };
  private timer: ReturnType<typeof setTimeout> | undefined;

  static getDerivedStateFromError(error: unknown): { message: string } {
    return { message: error instanceof Error ? error.message : String(error) };
  }

  override componentDidCatch(): void {
    this.timer = setTimeout(() => window.location.reload(), RELOAD_AFTER_MS);
  }

  override componentWillUnmount(): void {
    clearTimeout(this.timer);
  }

  override render() {
    if (this.state.message === null) return this.props.children;
    return (
      <div className="display-error" role="alert">
        <h1>The dashboard hit an error and reloads in {RELOAD_AFTER_MS / 1000} s</h1>
        <p>{this.state.message}</p>
        <button type="button" onClick={() => window.location.reload()}>
          Reload now
        </button>
      </div>
    );
  }
}
