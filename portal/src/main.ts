import { createApp } from 'vue'
import 'element-plus/dist/index.css'
import App from './App.vue'
import { onUnauthenticated } from './api/client'
import { router } from './router'
import { signOut } from './stores/session'

// An expired or revoked token: drop it and go to the login page, back here after login.
onUnauthenticated(() => {
  signOut()
  const here = router.currentRoute.value
  if (here.name !== 'login') void router.replace({ name: 'login', query: { redirect: here.fullPath } })
})

createApp(App).use(router).mount('#app')
