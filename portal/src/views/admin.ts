// Small helpers shared by the tenant admin's pages (组织架构, 人员, 花名册导入, 账号与角色,
// 单位设置, 审计日志).
import type { Role } from '@/gql/graphql'

/** The roles as the API's Role enum describes them (schema/schema.graphql). */
export const ROLE_LABELS: Record<Role, string> = {
  tenant_admin: '组织人事部门',
  principal_leader: '主要领导',
  supervising_leader: '分管领导',
  department_head: '部门主要负责人',
  office: '办公室',
  staff: '干部',
  external_rater: '外部评价人',
  city_organization_department: '市委组织部',
  system_admin: '系统管理员',
  security_admin: '安全管理员',
  audit_admin: '审计管理员',
}

/** The roles a unit grants its own accounts (the city's role is not one of them). */
export const UNIT_ROLES: readonly Role[] = (Object.keys(ROLE_LABELS) as Role[])
  .filter((r) => r !== 'city_organization_department')

/** The page size of the admin's tables. */
export const ADMIN_PAGE_SIZE = 20

/** A one-time initial password: 12 characters with upper and lower case, digits and a sign
 * (what any unit's password rule accepts); the account must change it at its first login. */
export function initialPassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '@#%&*+=']
  const all = sets.join('')
  const random = new Uint32Array(12)
  crypto.getRandomValues(random)
  const chars = Array.from(random, (n, i) => {
    const set = i < sets.length ? sets[i] ?? all : all
    return set[n % set.length] ?? 'x'
  })
  // Shuffle so the classes are not always in the same places.
  for (let i = chars.length - 1; i > 0; i -= 1) {
    const j = (random[i] ?? 0) % (i + 1)
    const a = chars[i] ?? ''
    chars[i] = chars[j] ?? ''
    chars[j] = a
  }
  return chars.join('')
}

/** Saves base64 content as a file in the browser (the API's FileExport). */
export function saveBase64(filename: string, mimeType: string, contentBase64: string): void {
  const bytes = Uint8Array.from(atob(contentBase64), (c) => c.charCodeAt(0))
  const url = URL.createObjectURL(new Blob([bytes], { type: mimeType }))
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** A file's content as base64 (for an import's contentBase64). */
export async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer())
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary)
}

/** An ISO date-time as Beijing time people read: 2026-03-01 09:30. */
export function localTime(iso: string): string {
  const d = new Date(iso)
  return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })
}
