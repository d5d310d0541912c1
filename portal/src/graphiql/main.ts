// GraphiQL from the graphiql npm package, bundled by Vite: nothing is loaded from a CDN, so it
// works on an isolated network. The server serves it at /graphiql outside production.
import { GraphiQL } from 'graphiql'
import 'graphiql/style.css'
import { type ComponentProps, createElement } from 'react'
import { createRoot } from 'react-dom/client'

type Fetcher = ComponentProps<typeof GraphiQL>['fetcher']

const fetcher: Fetcher = async (params, options) => {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(options?.headers ?? {}) },
    body: JSON.stringify(params),
  })
  return response.json()
}

// A tab opened from the portal inherits its session: start with its token in the headers.
const token = sessionStorage.getItem('jixiao.token')
const defaultHeaders = token ? JSON.stringify({ authorization: `Bearer ${token}` }, null, 2) : undefined

const root = document.getElementById('graphiql')
if (root) {
  root.textContent = ''
  createRoot(root).render(createElement(GraphiQL, { fetcher, defaultHeaders }))
}
