import { MeDocument } from '@/gql/graphql'
import { setMe } from '@/stores/session'
import { gql } from './client'

/** Loads who the caller is once per session (after login or a reload). */
export async function loadMe(): Promise<void> {
  setMe((await gql(MeDocument)).me)
}
