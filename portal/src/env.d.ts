/// <reference types="vite/client" />
import 'vue-router'
import type { Role } from '@/gql/graphql'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    title?: string
    roles?: readonly Role[]
  }
}
