// The session: the token (kept in sessionStorage, so closing the browser logs out) and who the
// caller is (me: tenant, account, person, roles), loaded once after login or a reload.
import { reactive } from 'vue'
import type { MeQuery, Role } from '@/gql/graphql'

const KEY = 'jixiao.token'

export type Me = MeQuery['me']

export const session = reactive<{ token: string | null; me: Me | null }>({
  token: sessionStorage.getItem(KEY),
  me: null,
})

export function signIn(token: string): void {
  session.token = token
  sessionStorage.setItem(KEY, token)
}

export function signOut(): void {
  session.token = null
  session.me = null
  sessionStorage.removeItem(KEY)
}

export function setMe(me: Me): void {
  session.me = me
}

/** True while the account must change its password before anything else (initial or reset). */
export function mustChangePassword(): boolean {
  return session.me?.account?.mustChangePassword ?? false
}

/** The server says the password must change now (e.g. reset while signed in): hold the user. */
export function requirePasswordChange(): void {
  if (session.me?.account) session.me.account.mustChangePassword = true
}

/** After changePassword: the new session's token, the gate lifted. */
export function passwordChanged(token: string): void {
  signIn(token)
  if (session.me?.account) session.me.account.mustChangePassword = false
}

/** True when the caller holds any of ``roles`` (an empty list: everyone signed in). */
export function hasAnyRole(roles: readonly Role[]): boolean {
  if (!roles.length) return true
  const mine = session.me?.roles ?? []
  return roles.some((r) => mine.includes(r))
}
