/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** The sign-in form: the admin token in a password field. */
import { UI_BASE } from "./paths.js";

export function LoginForm(props: { failed: boolean }) {
  return (
    <form method="post" action={`${UI_BASE}/login`} class="login">
      {props.failed ? (
        <p class="notice error" role="alert">
          That token is not valid.
        </p>
      ) : null}
      <label for="token">Admin token</label>
      <input id="token" name="token" type="password" autocomplete="current-password" required maxlength={512} />
      <button type="submit">Sign in</button>
    </form>
  );
}
