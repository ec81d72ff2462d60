// One error sentence with the button that fixes it (open the permission page, open options, sign in again).
import type { CallErrorAction } from '../protocol/softphone.js';
import type { PopupApi } from './popup-api.js';

export function ErrorNotice({ message, action, api }: { message: string; action: CallErrorAction; api: PopupApi }) {
  if (action === 'open-permission') {
    return (
      <div role="alert" className="notice notice-error">
        <span>{message}</span>{' '}
        <button type="button" className="link" onClick={() => void api.openPermissionPage()}>
          Open the permission page
        </button>
      </div>
    );
  }
  return (
    <div role="alert" className="notice notice-error">
      <span>{message}</span>
      {action === 'check-backend' && (
        <button type="button" className="link" onClick={() => void api.openOptions()}>
          Open options
        </button>
      )}
      {action === 'sign-in' && (
        <button type="button" className="link" onClick={() => void api.signOut()}>
          Sign in again
        </button>
      )}
    </div>
  );
}
