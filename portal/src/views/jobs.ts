// Background jobs (奖金计算、报表导出): poll a job's status until it ends, and download a file an
// export produced (GET with the session's bearer token, saved under the server's file name).
import { onBeforeUnmount } from 'vue'
import { ApiError, gql } from '@/api/client'
import { JobStatusDocument, type JobProgressFragment } from '@/gql/graphql'
import { session } from '@/stores/session'

export type JobState = JobProgressFragment

const POLL_MS = 600

/**
 * A poller bound to the calling component: ``follow(job, onChange)`` reports each new state
 * until the job is done or failed (and resolves with the last one); unmounting stops it.
 */
export function useJobPoller(): { follow: (job: JobState, onChange: (j: JobState) => void) => Promise<JobState> } {
  let stopped = false
  onBeforeUnmount(() => { stopped = true })
  async function follow(job: JobState, onChange: (j: JobState) => void): Promise<JobState> {
    let current = job
    onChange(current)
    while (!stopped && current.status !== 'done' && current.status !== 'failed') {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
      if (stopped) break
      const next = (await gql(JobStatusDocument, { id: current.id })).job
      if (!next) throw new ApiError('后台任务不存在或无权查看', 'NOT_FOUND')
      current = next
      onChange(current)
    }
    return current
  }
  return { follow }
}

/** Downloads a report file (``ReportFile.url``) and hands it to the browser as ``filename``. */
export async function downloadFile(url: string, filename: string): Promise<void> {
  const headers: Record<string, string> = {}
  if (session.token) headers.authorization = `Bearer ${session.token}`
  let response: Response
  try {
    response = await fetch(url, { headers })
  } catch {
    throw new ApiError('无法连接服务器，请检查网络后重试', 'NETWORK')
  }
  if (!response.ok) {
    let message = `下载失败（${response.status}）`
    try {
      const body = (await response.json()) as { error?: { message?: string } }
      message = body.error?.message ?? message
    } catch { /* not JSON: keep the status */ }
    throw new ApiError(message, 'DOWNLOAD')
  }
  const href = URL.createObjectURL(await response.blob())
  const link = document.createElement('a')
  link.href = href
  link.download = filename
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(href), 10_000)
}

/** A file size in words: 12.3 KB. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
