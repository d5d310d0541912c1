// The signed-in account's unread notifications, shared by the header's bell and 消息通知.
import { ref } from 'vue'
import { gql } from '@/api/client'
import { UnreadNotificationCountDocument } from '@/gql/graphql'

export const unread = ref(0)

export async function refreshUnread(): Promise<void> {
  try {
    unread.value = (await gql(UnreadNotificationCountDocument)).unreadNotificationCount
  } catch {
    // The bell is a hint: a failed count leaves the last one (the page's own calls report errors).
  }
}
