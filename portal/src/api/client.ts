// The portal's one GraphQL client: POST to /graphql with the session's bearer token; typed by
// the documents graphql-codegen generates (src/gql) from schema/schema.graphql.
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core'
import { session } from '@/stores/session'

/** An error a person reads: always a Chinese message. */
export class ApiError extends Error {
  readonly code: string

  constructor(message: string, code = 'ERROR') {
    super(message)
    this.code = code
  }
}

interface UserError { code: string; message: string }

let unauthenticated: () => void = () => undefined
let passwordChangeRequired: () => void = () => undefined

/** Called once by main.ts: where a 401 (expired or invalid token) sends the user. */
export function onUnauthenticated(handler: () => void): void {
  unauthenticated = handler
}

/** Called once by main.ts: where PASSWORD_CHANGE_REQUIRED (from any call) sends the user. */
export function onPasswordChangeRequired(handler: () => void): void {
  passwordChangeRequired = handler
}

const PASSWORD_CHANGE_REQUIRED = 'PASSWORD_CHANGE_REQUIRED'

interface GraphQLBody<T> {
  data?: T | null
  errors?: { message: string; extensions?: { code?: string } }[]
}

export async function gql<TResult, TVariables>(
  document: DocumentTypeDecoration<TResult, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] | [TVariables] : [TVariables]
): Promise<TResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (session.token) headers.authorization = `Bearer ${session.token}`
  let response: Response
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: String(document), variables: variables ?? {} }),
    })
  } catch {
    throw new ApiError('无法连接服务器，请检查网络后重试', 'NETWORK')
  }
  let body: GraphQLBody<TResult>
  try {
    body = (await response.json()) as GraphQLBody<TResult>
  } catch {
    throw new ApiError(`服务器返回了无法识别的应答（${response.status}）`, 'BAD_RESPONSE')
  }
  const first = body.errors?.[0]
  if (response.status === 401 || first?.extensions?.code === 'UNAUTHENTICATED') {
    unauthenticated()
    throw new ApiError(first?.message ?? '登录已过期，请重新登录', 'UNAUTHENTICATED')
  }
  if (first?.extensions?.code === PASSWORD_CHANGE_REQUIRED) passwordChangeRequired()
  if (first) throw new ApiError(first.message, first.extensions?.code ?? 'ERROR')
  if (!response.ok || body.data == null) {
    throw new ApiError(`请求失败（${response.status}）`, 'HTTP')
  }
  return body.data
}

/** A mutation payload's userErrors as one Chinese sentence, or null when there are none. */
export function userErrorText(payload: { userErrors: readonly UserError[] }): string | null {
  return payload.userErrors.length ? payload.userErrors.map((e) => e.message).join('；') : null
}

/** Returns the payload, or throws its userErrors as one ApiError. */
export function requireOk<T extends { userErrors: readonly UserError[] }>(payload: T): T {
  const text = userErrorText(payload)
  if (payload.userErrors.some((e) => e.code === PASSWORD_CHANGE_REQUIRED)) passwordChangeRequired()
  if (text) throw new ApiError(text, payload.userErrors[0]?.code ?? 'USER_ERROR')
  return payload
}

/** The Chinese text a person reads for whatever a call threw (ApiError carries one). */
export function errorText(e: unknown, fallback = '加载失败，请刷新重试'): string {
  return e instanceof ApiError ? e.message : fallback
}
